"""Hypothesis settings for the fuzz tests: few examples, the same ones on every run."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,  # derandomised: nothing to replay, and no .hypothesis/ folder in the project
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("fuzz")
