"""Framework pages: what each competency and each level means, and each role's targets."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .access import get_framework_or_404
from .models import (
    Competency,
    Framework,
    Indicator,
    LevelDescriptor,
    RoleTarget,
    indicator_trees,
)


@require_safe
@login_required
def framework_list(request):
    frameworks = Framework.objects.visible_to(request.user).order_by("title", "-version")
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


@require_safe
@login_required
def framework_detail(request, slug, version):
    framework = get_framework_or_404(request.user, slug, version)
    competencies = (
        Competency.objects.filter(framework=framework)
        .select_related("domain")
        .prefetch_related(
            Prefetch("descriptors", LevelDescriptor.objects.select_related("level")),
            "resources",
            "crosswalk",
            "lineage",
            Prefetch("targets", RoleTarget.objects.select_related("target")),
        )
    )
    roles = list(framework.roles.all())
    indicators = indicator_trees(Indicator.objects.filter(competency__framework=framework))
    domains = {domain.pk: domain for domain in framework.domains.select_related("parent")}
    by_domain = {pk: [] for pk in domains}
    competencies = list(competencies)
    for competency in competencies:
        targets = {t.role_id: t for t in competency.targets.all()}
        competency.role_targets = [targets.get(role.pk) for role in roles]
        competency.indicator_tree = indicators.get(competency.pk, [])
        by_domain[competency.domain_id].append(competency)
    ctx = {
        "framework": framework,
        "levels": framework.levels.all(),
        "domains": [(domains[pk], items) for pk, items in by_domain.items()],
        "roles": roles,
        # A version that maps to an earlier one marks the competencies it adds as new.
        "has_lineage": any(c.lineage.all() for c in competencies),
    }
    return render(request, "frameworks/detail.html", ctx)
