"""Who reads the KM plan's dashboard and report, and who approves the plan."""

DASHBOARD_PERMISSION = "plan.view_km_dashboard"
# The KM sponsor (คุณเอื้อ) and the monitoring committee: readers of the dashboard and the report.
SPONSORS = "คุณเอื้อและคณะกรรมการติดตามผล (ผู้อ่านรายงาน KM)"
# The KM sponsor (คุณเอื้อ) approves each year's plan before it is published: a Wagtail workflow
# of one group-approval task on the plans' index page (plan.wagtail_hooks).
PLAN_APPROVERS = "คุณเอื้อ (ผู้อนุมัติแผน KM)"
PLAN_WORKFLOW = "อนุมัติแผนการจัดการความรู้"
PLAN_TASK = "อนุมัติแผนโดยคุณเอื้อ"
