"""
The guard that keeps a frozen framework version unchanged.

It listens to ``pre_save`` and ``pre_delete`` rather than overriding ``save()`` because
``loaddata`` saves fixture objects with ``save_base(raw=True)``, which skips ``save()``
but still sends these signals: a fixture cannot rewrite a version in use either.
Saving a row unchanged is allowed, so loading the shipped fixture again stays harmless;
on the framework itself only its status (publish, retire) may change once it is frozen.
Bulk ``QuerySet.update()``/``delete()`` send no signals: application code never uses
them on framework models.
"""

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from .models import (
    CaseSource,
    Competency,
    CompetencyLineage,
    CrosswalkReference,
    Domain,
    Framework,
    FrameworkFrozenError,
    Indicator,
    LevelDescriptor,
    ProficiencyLevel,
    Resource,
    RoleProfile,
    RoleTarget,
)

PARTS = (
    CaseSource,
    ProficiencyLevel,
    Domain,
    Competency,
    Indicator,
    LevelDescriptor,
    Resource,
    CrosswalkReference,
    CompetencyLineage,
    RoleProfile,
    RoleTarget,
)
# Fields of a frozen framework that may still change.
FRAMEWORK_MUTABLE_FIELDS = {"status"}


def _owning_framework(instance) -> Framework | None:
    if not instance.framework_via:
        framework_id = instance.framework_id
    else:
        parent_field = instance._meta.get_field(instance.framework_via)
        framework_id = (
            parent_field.related_model.objects.filter(pk=getattr(instance, parent_field.attname))
            .values_list("framework_id", flat=True)
            .first()
        )
    return Framework.objects.filter(pk=framework_id).first()


def _changed_fields(instance, ignore=frozenset()) -> list[str]:
    """Names of the concrete fields whose values differ from the stored row."""
    fields = [f for f in instance._meta.concrete_fields if f.name not in ignore]
    stored = (
        type(instance)._base_manager.filter(pk=instance.pk).values(*[f.attname for f in fields])
    )
    row = stored.first()
    if row is None:
        return ["(new row)"]
    return [f.name for f in fields if row[f.attname] != getattr(instance, f.attname)]


@receiver(pre_save, sender=Framework)
def refuse_framework_change(sender, instance, raw, **kwargs):
    if instance.pk is None:
        return
    stored = Framework.objects.filter(pk=instance.pk, frozen_at__isnull=False).first()
    if stored is None:
        return
    # A fixture knows nothing of freezing: loading it again keeps the version frozen.
    instance.frozen_at = stored.frozen_at
    changed = _changed_fields(instance, ignore=FRAMEWORK_MUTABLE_FIELDS)
    if changed:
        raise FrameworkFrozenError(stored, f"cannot change {', '.join(changed)}")


def refuse_part_change(sender, instance, raw, **kwargs):
    framework = _owning_framework(instance)
    if framework is None or not framework.is_frozen:
        return
    changed = _changed_fields(instance) if instance.pk is not None else ["(new row)"]
    if changed:
        label = f"{sender._meta.verbose_name} {instance}"
        raise FrameworkFrozenError(framework, f"cannot change {label}: {', '.join(changed)}")


def refuse_delete(sender, instance, **kwargs):
    framework = instance if isinstance(instance, Framework) else _owning_framework(instance)
    if framework is not None and framework.is_frozen:
        raise FrameworkFrozenError(framework, f"cannot delete {sender._meta.verbose_name}")


for model in PARTS:
    pre_save.connect(refuse_part_change, sender=model, dispatch_uid=f"frozen-save-{model.__name__}")
for model in (Framework, *PARTS):
    pre_delete.connect(refuse_delete, sender=model, dispatch_uid=f"frozen-delete-{model.__name__}")
