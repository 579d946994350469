// ECharts for the 电子监察 dashboard only: imported with import() by ChartCard, so its code is a chunk
// of its own, fetched when the dashboard opens. Only what the charts use: bar, line, pie, grid,
// tooltip, legend and the canvas renderer.
import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export { init }
export type { ECharts } from 'echarts/core'
