"""The pure targeting engine: rules and facts in, results out; no database, no clock.
``evaluation`` compiles a rule set into a ``Snapshot`` and evaluates batches against it;
``rules`` validates rule specifications; ``conditions`` and ``analytics`` are the rule
kinds; ``facts`` are the engine's inputs and results."""

from shipments.targeting.engine.evaluation import (
    Snapshot,
    Thresholds,
    compile_snapshot,
    evaluate,
    evaluate_batch,
)

__all__ = ["Snapshot", "Thresholds", "compile_snapshot", "evaluate", "evaluate_batch"]
