// The page's API client, bound to the page's session (bearer token, refresh on 401).
import { createApiClient, type ApiClient } from '@/api/client'
import { useSession } from './useSession'

let shared: ApiClient | null = null

export function useApi(): ApiClient {
  shared ??= createApiClient({ fetch: (input, init) => window.fetch(input, init), tokens: useSession().tokens })
  return shared
}
