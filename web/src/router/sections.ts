// The workbench's sections: which roles see each in the side menu. Only navigation: the API decides
// what each role may do (a page a role cannot use answers 403 there).
export interface Section {
  name: string
  path: string
  title: string
  roles: readonly string[]
}

export const SECTIONS: readonly Section[] = [
  { name: 'window', path: '/window', title: '窗口工作台', roles: ['window', 'admin'] },
  { name: 'approver', path: '/approver', title: '审批', roles: ['approver', 'admin'] },
  { name: 'supervisor', path: '/supervisor', title: '电子监察', roles: ['supervisor', 'admin'] },
  { name: 'admin', path: '/admin', title: '系统管理', roles: ['admin'] },
  { name: 'points', path: '/points', title: '村级代办', roles: ['village_agent'] },
]

export function sectionsFor(role: string | undefined): Section[] {
  return SECTIONS.filter((section) => role !== undefined && section.roles.includes(role))
}

/** Where a role lands after login. */
export function homeFor(role: string | undefined): string {
  return sectionsFor(role)[0]?.path ?? '/forbidden'
}
