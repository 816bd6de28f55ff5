// What a browser or a mini-program imports. `generate.ts` stays out: it loads the whole API.
export {
  createGuanjiaClient,
  isProblem,
  orThrow,
  ProblemError,
  type components,
  type GuanjiaClient,
  type GuanjiaClientOptions,
  type paths,
  type Problem,
  type Transport,
} from './client.ts';
export { installFetchShim, ShimFormData, ShimHeaders, ShimRequest, ShimResponse } from './fetch-shim.ts';
export { wxFetch, type WxFetchOptions, type WxLike, type WxRequestOptions, type WxRequestSuccess } from './wx.ts';
