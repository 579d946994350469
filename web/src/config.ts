// Values the server puts into the page (citizen_api/webui.py), with build-time fallbacks.

/** Minutes without input before the workbench logs out (server setting ONETRIP_WORKBENCH_IDLE_MINUTES). */
export function idleMinutes(doc: Document = document): number {
  const served = Number(doc.querySelector('meta[name="onetrip-idle-minutes"]')?.getAttribute('content'))
  return Number.isFinite(served) && served > 0 ? served : __IDLE_MINUTES__
}
