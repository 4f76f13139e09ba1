"""Who reads the KM plan's dashboard and report."""

DASHBOARD_PERMISSION = "plan.view_km_dashboard"
# The KM sponsor (คุณเอื้อ) and the monitoring committee: readers of the dashboard and the report.
SPONSORS = "คุณเอื้อและคณะกรรมการติดตามผล (ผู้อ่านรายงาน KM)"
