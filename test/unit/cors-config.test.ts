import { describe, expect, it } from 'vitest';
import { loadLambdaConfig } from '../../functions/api-config.ts';
import { ConfigError, loadConfig } from '@guanjia/local/config';

const LAMBDA_ENV = {
  TABLE_NAME: 'guanjia-test',
  STAFF_USER_POOL_ID: 'ap-east-1_staff',
  STAFF_CLIENT_ID: 'staff-client',
  OWNER_USER_POOL_ID: 'ap-east-1_owner',
  OWNER_CLIENT_ID: 'owner-client',
  CURSOR_SECRET: 'x'.repeat(32),
};

describe('allowed web origins', () => {
  it('are none for the local runtime unless CORS_ORIGINS lists them', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' ' }).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' http://localhost:5173 , https://console.example.com ' }).corsOrigins).toEqual([
      'http://localhost:5173',
      'https://console.example.com',
    ]);
  });

  it.each(['http://console.example.com', 'https://console.example.com/app', 'https://console.example.com/', '*'])(
    'stop the local runtime at %s, naming CORS_ORIGINS',
    (origin) => {
      expect(() => loadConfig({ CORS_ORIGINS: origin })).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: origin })).toThrow(/CORS_ORIGINS=/);
    },
  );

  it('reach the Lambda from the variable the stack sets, and are none without it', () => {
    expect(loadLambdaConfig(LAMBDA_ENV).CORS_ORIGINS).toEqual([]);
    expect(loadLambdaConfig({ ...LAMBDA_ENV, CORS_ORIGINS: 'https://console.example.com,https://owners.example.com' }).CORS_ORIGINS).toEqual([
      'https://console.example.com',
      'https://owners.example.com',
    ]);
    expect(() => loadLambdaConfig({ ...LAMBDA_ENV, CORS_ORIGINS: 'https://console.example.com/app' })).toThrow(/CORS_ORIGINS/);
  });
});
