export { createApp, MAX_BODY_BYTES, type AppDeps } from './app.ts';
export type { IdempotencyStore } from './idempotency.ts';
export type { VerifyToken } from './auth.ts';
export { problemBody, throttledLog, unavailableKind, PROBLEM_TYPE, RETRY_AFTER_SECONDS, type Problem } from './problem.ts';
export type { AppEnv } from './env.ts';
export { createCursorCodec } from './cursor.ts';
export { cognitoIdTokenVerifier, createCognitoVerifier, ownerPrincipal, staffPrincipal, type CognitoPools } from './cognito.ts';
