from django.apps import AppConfig

from zhibu.orgs.roles import Action


class AppraisalConfig(AppConfig):
    name = "zhibu.appraisal"
    label = "appraisal"
    verbose_name = "述职评议与民主评议"
    # The pages and operations keep the addresses they had in the reports app.
    url_prefix = "reports/"
    api_prefix = "/reports"
    nav = [
        {"label": "述职评议", "url": "appraisal:rounds", "action": Action.VIEW, "order": 71},
        {"label": "民主评议", "url": "appraisal:reviews_home", "action": Action.SCHEDULE, "order": 72},
    ]
