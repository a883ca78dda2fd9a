"""A realisation's workflow: draft → submitted → verified or returned; a verified figure is
changed only by a correction, and an earlier version takes no step at all."""

from decimal import Decimal

from kinerja.monitoring import services
from kinerja.monitoring.models import Realisation
from tests.monitoring.conftest import enter
from tests.refusals import audited, refused_for_state


def test_each_step_from_its_state_only(world):
    operator, inspector = world.users["operator_a"], world.users["inspector"]
    draft = enter(world, world.indicator_a, 1, "10", note="uji")
    with refused_for_state():
        services.realisation_verify(realisation=draft, by=inspector)
    with refused_for_state():
        services.realisation_correct(realisation=draft, by=operator, reason="x", value=Decimal(9))
    with refused_for_state():
        services.realisation_return(realisation=draft, by=inspector, comment="cek lagi")
    submitted = audited(
        "realisation.submit",
        draft,
        lambda: services.realisation_submit(realisation=draft, by=operator),
    )
    assert submitted.status == Realisation.Status.SUBMITTED
    with refused_for_state():
        services.realisation_submit(realisation=submitted, by=operator)
    with refused_for_state():  # being checked: neither edited nor given evidence
        enter(world, world.indicator_a, 1, "11")
    with refused_for_state():
        services.evidence_add(
            realisation=submitted, data=b"%PDF-1.4", filename="bukti.pdf", by=operator
        )
    returned = audited(
        "realisation.return",
        draft,
        lambda: services.realisation_return(
            realisation=submitted, by=inspector, comment="Lampirkan laporan"
        ),
    )
    assert returned.status == Realisation.Status.RETURNED
    again = audited(
        "realisation.submit",
        draft,
        lambda: services.realisation_submit(realisation=returned, by=operator),
    )
    verified = audited(
        "realisation.verify",
        draft,
        lambda: services.realisation_verify(realisation=again, by=inspector),
    )
    assert verified.status == Realisation.Status.VERIFIED
    with refused_for_state():
        services.realisation_submit(realisation=verified, by=operator)
    with refused_for_state():
        services.realisation_verify(realisation=verified, by=inspector)
    correction = services.realisation_correct(
        realisation=verified, by=operator, reason="Salah ketik", value=Decimal(12)
    )
    with refused_for_state():  # the verified version is now an earlier one
        services.realisation_correct(
            realisation=verified, by=operator, reason="Sekali lagi", value=Decimal(13)
        )
    assert correction.version == 2


def test_a_verified_figure_is_not_edited_in_place(world):
    operator = world.users["operator_a"]
    r = enter(world, world.indicator_a, 2, "10", note="uji")
    r = services.realisation_submit(realisation=r, by=operator)
    services.realisation_verify(realisation=r, by=world.users["inspector"])
    with refused_for_state():
        enter(world, world.indicator_a, 2, "11")
    assert Realisation.objects.get(pk=r.pk).value == Decimal(10)
