// Routes under /workbench/. Each section is its own chunk (loaded when first opened).
import { defineComponent } from 'vue'
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from '@/composables/useSession'
import { SECTIONS, homeFor } from './sections'

const sectionViews: Record<string, () => Promise<unknown>> = {
  window: () => import('@/views/window/WindowDesk.vue'),
  approver: () => import('@/views/approver/ApproverDesk.vue'),
  supervisor: () => import('@/views/supervisor/SupervisionHome.vue'),
  admin: () => import('@/views/admin/AdminHome.vue'),
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { public: true, title: '登录' },
  },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    children: [
      // '/' goes to the role's first section once the session is known (see beforeEach)
      { path: '', name: 'home', component: defineComponent({ render: () => null }) },
      ...SECTIONS.map(
        (section): RouteRecordRaw => ({
          path: section.path.slice(1),
          name: section.name,
          component: sectionViews[section.name]!,
          meta: { roles: section.roles, title: section.title },
        }),
      ),
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('@/views/ForbiddenView.vue'),
        meta: { title: '无权访问' },
      },
      {
        path: ':rest(.*)*',
        name: 'not-found',
        component: () => import('@/views/NotFoundView.vue'),
        meta: { title: '页面不存在' },
      },
    ],
  },
]

export const router = createRouter({ history: createWebHistory('/workbench/'), routes })

router.beforeEach(async (to) => {
  const session = useSession()
  if (to.meta.public) return true
  if (!session.state.user && !(await session.restore())) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (to.name === 'home') return homeFor(session.state.user?.role)
  const roles = to.meta.roles as readonly string[] | undefined
  if (roles && !roles.includes(session.state.user?.role ?? '')) return { name: 'forbidden' }
  return true
})

router.afterEach((to) => {
  const title = to.meta.title as string | undefined
  document.title = title ? `${title} · 一趟办工作台` : '一趟办工作台'
})
