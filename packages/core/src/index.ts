export * from './model.ts';
export * from './errors.ts';
export * from './ports.ts';
export * from './ids.ts';
