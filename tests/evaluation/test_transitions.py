"""The evaluation's two workflows: a SAKIP evaluation (being scored → final) and a reward year
(open → closed for good)."""

from decimal import Decimal

from kinerja.evaluation import services
from kinerja.evaluation.models import SakipEvaluation
from tests.evaluation.conftest import save_policy
from tests.evaluation.test_sakip_services import assessed, criteria_of, worksheet  # noqa: F401
from tests.refusals import audited, refused_for_state


def test_a_sakip_evaluation_is_finalised_once_and_then_takes_no_answers(world, worksheet):  # noqa: F811
    inspector = world.users["inspector"]
    evaluation = services.evaluation_start(government=world.gov, year=2021, unit=None, by=inspector)
    assessed(world, evaluation, lambda c: "Y" if c.answer_type == "yes_no" else "A")
    final = audited(
        "evaluation.sakip_final",
        evaluation,
        lambda: services.evaluation_finalize(evaluation=evaluation, by=inspector),
    )
    assert (final.status, final.grade) == (SakipEvaluation.Status.FINAL, "AA")
    with refused_for_state():
        services.evaluation_finalize(evaluation=final, by=inspector)
    with refused_for_state():
        services.answers_save(
            evaluation=final,
            answers={criteria_of(worksheet)[0].pk: {"answer": "T", "note": "x"}},
            by=inspector,
        )


def test_a_closed_reward_year_takes_no_policy_and_no_second_closing(scored_2019):
    world = scored_2019
    planner = world.users["planner"]
    policy = save_policy(world)
    closed = audited(
        "evaluation.year_close",
        policy,
        lambda: services.incentive_year_close(policy=policy, by=planner),
    )
    assert closed.closed_at is not None and closed.closed_by == planner
    with refused_for_state():
        services.incentive_year_close(policy=closed, by=planner)
    with refused_for_state():
        save_policy(world, performance_share=Decimal(60))
