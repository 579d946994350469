// The hall TV (/hall/{office_code}): a small entry of its own (no Element Plus, no router, no login).
import { createApp } from 'vue'
import HallBoard from './HallBoard.vue'

const officeCode = decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] ?? '')
createApp(HallBoard, { officeCode }).mount('#hall')
