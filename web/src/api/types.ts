// Types of the calls, derived from schema.d.ts (generated from the served OpenAPI by `npm run gen:api`).
import type { paths } from './schema'

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch'

/** The paths that have an operation for this method. */
export type PathsFor<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: unknown } ? P : never
}[keyof paths]

export type Operation<P extends keyof paths, M extends HttpMethod> = paths[P] extends {
  [K in M]: infer O
}
  ? O
  : never

type Parameters_<O> = O extends { parameters: infer X } ? X : never

export type PathParams<O> = Parameters_<O> extends { path: infer X } ? X : never
export type QueryParams<O> = Parameters_<O> extends { query?: infer X } ? X : never
export type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : never

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : null
export type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer A }
      ? JsonOf<A>
      : R extends { 204: unknown }
        ? null
        : unknown
  : unknown

type Optionalize<K extends string, T> = [T] extends [never]
  ? { [P in K]?: undefined }
  : undefined extends T
    ? { [P in K]?: T }
    : { [P in K]: T }

export type CallOptions<O> = Optionalize<'path', PathParams<O>> &
  Optionalize<'body', JsonBody<O>> & {
    query?: QueryParams<O> extends never ? undefined : QueryParams<O>
    signal?: AbortSignal
  }

export type Schemas = import('./schema').components['schemas']
