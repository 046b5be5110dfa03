from django.urls import path

from . import views, views_cycles, views_evidence

app_name = "goals"
urlpatterns = [
    path("goals/", views.goal_list, name="list"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/start/", views.goal_activate, name="goal_activate"),
    path("goals/<int:pk>/close/", views.goal_close, name="goal_close"),
    path("goals/<int:pk>/cycle/", views_cycles.cycle_start, name="cycle_start"),
    path("goals/growth/new/", views.growth_new, name="growth_new"),
    path("goals/schools/<int:pk>/", views.school_summary, name="school_summary"),
    path("goals/growth/<int:pk>/", views.growth_edit, name="growth_edit"),
    path("cycles/<int:pk>/", views_cycles.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/reflection/", views_cycles.cycle_reflect, name="cycle_reflect"),
    path("cycles/<int:pk>/private/", views_cycles.cycle_private_notes, name="cycle_private"),
    path("cycles/<int:pk>/close/", views_cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/stages/<int:stage_pk>/", views_cycles.stage_detail, name="stage"),
    path("cycles/<int:pk>/stages/<int:stage_pk>/done/", views_cycles.stage_complete,
         name="stage_complete"),
    path("cycles/<int:pk>/stages/<int:stage_pk>/resource/", views_cycles.stage_resource,
         name="stage_resource"),
    path("cycles/<int:pk>/stages/<int:stage_pk>/attach/", views_cycles.stage_attach,
         name="stage_attach"),
    path("cycles/<int:pk>/stages/<int:stage_pk>/log/", views_cycles.stage_log,
         name="stage_log"),
]

# A cycle's student evidence (views_evidence.py).
urlpatterns += [
    path("cycles/<int:pk>/evidence/measures/new/", views_evidence.measure_add,
         name="measure_add"),
    path("cycles/<int:pk>/evidence/measures/<int:measure_pk>/", views_evidence.measure_edit,
         name="measure_edit"),
    path("cycles/<int:pk>/evidence/measures/<int:measure_pk>/delete/",
         views_evidence.measure_delete, name="measure_delete"),
    path("cycles/<int:pk>/evidence/measures/<int:measure_pk>/points/new/",
         views_evidence.point_add, name="point_add"),
    path("cycles/<int:pk>/evidence/points/<int:point_pk>/delete/",
         views_evidence.point_delete, name="point_delete"),
    path("cycles/<int:pk>/evidence/samples/new/", views_evidence.sample_upload,
         name="sample_upload"),
    path("cycles/<int:pk>/evidence/samples/<int:sample_pk>/delete/",
         views_evidence.sample_delete, name="sample_delete"),
    path("cycles/<int:pk>/evidence/samples/<int:sample_pk>/file/",
         views_evidence.sample_file, name="sample_file"),
]

# The library of conversation resources (views_resources.py) and the cycle templates a
# network keeps (views_templates.py). Imported here so this block stands on its own.
from . import views_resources, views_templates  # noqa: E402

urlpatterns += [
    path("goals/resources/", views_resources.resource_library, name="resources"),
    path("goals/resources/new/", views_resources.resource_new, name="resource_new"),
    path("goals/resources/<int:pk>/edit/", views_resources.resource_edit,
         name="resource_edit"),
    path("goals/resources/<int:pk>/delete/", views_resources.resource_delete,
         name="resource_delete"),
    path("goals/resources/<int:pk>/session/", views_resources.resource_to_session,
         name="resource_to_session"),
    path("goals/templates/<int:network_pk>/", views_templates.template_list,
         name="templates"),
    path("goals/templates/<int:network_pk>/<int:pk>/", views_templates.template_detail,
         name="template"),
    path("goals/templates/<int:network_pk>/<int:pk>/copy/", views_templates.template_copy,
         name="template_copy"),
    path("goals/templates/<int:network_pk>/<int:pk>/stages/new/",
         views_templates.template_stage_new, name="template_stage_new"),
    path("goals/templates/<int:network_pk>/<int:pk>/stages/<int:stage_pk>/",
         views_templates.template_stage_edit, name="template_stage"),
    path("goals/templates/<int:network_pk>/<int:pk>/stages/<int:stage_pk>/move/",
         views_templates.template_stage_move, name="template_stage_move"),
    path("goals/templates/<int:network_pk>/<int:pk>/stages/<int:stage_pk>/delete/",
         views_templates.template_stage_delete, name="template_stage_delete"),
]

# A network's frameworks of standards, and tagging work with their items
# (views_frameworks.py). Imported here so this block stands on its own.
from . import views_frameworks  # noqa: E402

urlpatterns += [
    path("frameworks/networks/<int:pk>/", views_frameworks.framework_list, name="frameworks"),
    path("frameworks/networks/<int:pk>/apply/", views_frameworks.framework_apply,
         name="framework_apply"),
    path("frameworks/template.csv", views_frameworks.framework_template,
         name="framework_template"),
    path("frameworks/<int:pk>/", views_frameworks.framework_detail, name="framework"),
    path("frameworks/tag/<int:interaction_pk>/", views_frameworks.interaction_tag,
         name="interaction_tag"),
    path("frameworks/tag/cycle/<int:pk>/", views_frameworks.cycle_tag, name="cycle_tag"),
]
