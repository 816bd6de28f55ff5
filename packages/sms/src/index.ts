export * from '@guanjia/core';
export * from './sns.ts';
export * from './console.ts';
export * from './rate-limit.ts';
export * from './retry.ts';
export * from './capped.ts';
