import type { Context as UseCaseContext, Principal } from '@guanjia/core';

export interface AppEnv {
  Variables: {
    principal: Principal;
    ctx: UseCaseContext;
  };
}
