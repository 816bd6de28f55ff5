export { loadConfig, loadDataDir, ConfigError, type LocalConfig } from './config.ts';
export { startRuntime, ListenError, DYNAMO_DIR, type Runtime, type RuntimeOptions } from './runtime.ts';
export {
  createLocalVerifier,
  mintToken,
  loadOrCreateSecret,
  parseTtl,
  InvalidTokenError,
  LOCAL_ISSUER,
  SECRET_FILE,
  DEFAULT_TTL,
  type TokenClaims,
} from './tokens.ts';
export { seedDemo, SeedError, DEMO_SITE, DEMO_STAFF, DEMO_DUTY, type SeedResult, type RequestTarget } from './seed.ts';
export { lockDataDir, DataDirInUseError, LOCK_FILE } from './data-dir-lock.ts';
export {
  startDynamoLocal,
  assertJava,
  freePort,
  JavaMissingError,
  JAVA_INSTALL_HINT,
  type DynamoLocal,
  type DynamoLocalOptions,
} from './dynamo-local.ts';
