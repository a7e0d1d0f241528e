from setuptools import find_packages, setup

setup(
    name="edgecall-runner",
    version="0.1.0",
    description="One interface (batch and serve) for every basecaller edgecall benchmarks",
    packages=find_packages(),
    python_requires=">=3.6",
    install_requires=["numpy"],
    entry_points={"console_scripts": ["edgecall-runner=edgecall_runner.cli:main"]},
)
