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
  points: () => import('@/views/points/PointDesk.vue'),
}

const Empty = defineComponent({ render: () => null })
// 差评整改 of the handling department: one view, under the window desk and the approver's section
const RatingFollowUp = () => import('@/views/ratings/RatingFollowUp.vue')
const CASE_ROLES = ['window', 'approver', 'supervisor', 'admin']

// the window desk's tasks, one view each: the queue (叫号, 签到, 预约), the inbox (办件), the bad ratings (差评整改),
// booking for a citizen (代约)
const sectionChildren: Record<string, RouteRecordRaw[]> = {
  window: [
    { path: '', name: 'window', component: () => import('@/views/window/QueuePanel.vue'), meta: { title: '叫号与签到' } },
    { path: 'inbox', name: 'window-inbox', component: () => import('@/views/window/WindowInbox.vue'), meta: { title: '办件' } },
    { path: 'ratings', name: 'window-ratings', component: RatingFollowUp, meta: { title: '差评整改' } },
    { path: 'book-for', name: 'window-book-for', component: () => import('@/views/window/BookFor.vue'), meta: { title: '代约' } },
    { path: 'visits', name: 'window-visits', component: () => import('@/views/window/HomeVisits.vue'), meta: { title: '上门服务' } },
  ],
  approver: [
    { path: '', name: 'approver', component: () => import('@/views/approver/ApproverInbox.vue') },
    { path: 'ratings', name: 'approver-ratings', component: RatingFollowUp, meta: { title: '差评整改' } },
  ],
  // 电子监察: the dashboard and the lists behind its charts, one view each (web/src/views/supervisor/)
  supervisor: [
    { path: '', name: 'supervisor', component: () => import('@/views/supervisor/SupervisionDashboard.vue'), meta: { title: '监察总览' } },
    { path: 'warnings', name: 'supervisor-warnings', component: () => import('@/views/supervisor/WarningList.vue'), meta: { title: '预警' } },
    { path: 'bad-ratings', name: 'supervisor-bad-ratings', component: () => import('@/views/supervisor/BadRatingList.vue'), meta: { title: '差评整改' } },
    { path: 'complaints', name: 'supervisor-complaints', component: () => import('@/views/supervisor/ComplaintList.vue'), meta: { title: '投诉' } },
    { path: 'appeals', name: 'supervisor-appeals', component: () => import('@/views/supervisor/AppealList.vue'), meta: { title: '申诉审核' } },
    { path: 'cases', name: 'supervisor-cases', component: () => import('@/views/supervisor/SupervisedCases.vue'), meta: { title: '办件' } },
    { path: 'backups', name: 'supervisor-backups', component: () => import('@/views/supervisor/StaffBackups.vue'), meta: { title: 'AB角' } },
    { path: 'points', name: 'supervisor-points', component: () => import('@/views/supervisor/PointStats.vue'), meta: { title: '服务点统计' } },
    { path: 'performance', name: 'supervisor-performance', component: () => import('@/views/supervisor/PerformanceReview.vue'), meta: { title: '效能考评' } },
  ],
  // the admin's tasks, one view each (web/src/views/admin/)
  admin: [
    { path: '', name: 'admin', component: () => import('@/views/admin/CatalogItems.vue'), meta: { title: '事项管理' } },
    {
      path: 'items/:code',
      name: 'admin-item',
      component: () => import('@/views/admin/ItemEditor.vue'),
      props: (route) => ({ code: String(route.params.code) }),
      meta: { title: '编辑办事指南' },
    },
    { path: 'calendar', name: 'admin-calendar', component: () => import('@/views/admin/CalendarAdmin.vue'), meta: { title: '日历' } },
    { path: 'halls', name: 'admin-halls', component: () => import('@/views/admin/HallsAdmin.vue'), meta: { title: '大厅与窗口' } },
    { path: 'staff', name: 'admin-staff', component: () => import('@/views/admin/StaffAdmin.vue'), meta: { title: '工作人员' } },
    { path: 'booking-rules', name: 'admin-booking-rules', component: () => import('@/views/admin/BookingRules.vue'), meta: { title: '预约放号与摇号' } },
    { path: 'notifications', name: 'admin-notifications', component: () => import('@/views/admin/NotificationsAdmin.vue'), meta: { title: '消息' } },
    { path: 'points', name: 'admin-points', component: () => import('@/views/admin/PointsAdmin.vue'), meta: { title: '三级便民服务' } },
  ],
  // 村级代办 (village_agent): filing for a villager, the point's cases, results awaiting pickup
  points: [
    { path: '', name: 'points', component: () => import('@/views/points/PointFiling.vue'), props: true, meta: { title: '代办申请' } },
    { path: 'cases', name: 'points-cases', component: () => import('@/views/points/PointCases.vue'), meta: { title: '本点办件' } },
    { path: 'pickups', name: 'points-pickups', component: () => import('@/views/points/PointPickups.vue'), meta: { title: '结果领取' } },
  ],
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
      { path: '', name: 'home', component: Empty },
      ...SECTIONS.map(
        (section): RouteRecordRaw => ({
          path: section.path.slice(1),
          component: sectionViews[section.name]!,
          meta: { roles: section.roles, title: section.title },
          children: sectionChildren[section.name] ?? [{ path: '', name: section.name, component: Empty }],
        }),
      ),
      {
        // one case, for the window clerk and the approver alike: the buttons are the case's allowed_actions
        path: 'cases/:id(\\d+)',
        name: 'case',
        component: () => import('@/views/cases/CaseView.vue'),
        props: (route) => ({ caseId: Number(route.params.id) }),
        meta: { roles: CASE_ROLES, title: '办件详情' },
      },
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
  const roles = to.matched.map((record) => record.meta.roles as readonly string[] | undefined).find(Boolean)
  if (roles && !roles.includes(session.state.user?.role ?? '')) return { name: 'forbidden' }
  return true
})

router.afterEach((to) => {
  const title = [...to.matched].reverse().map((record) => record.meta.title as string | undefined).find(Boolean)
  document.title = title ? `${title} · 一趟办工作台` : '一趟办工作台'
})
