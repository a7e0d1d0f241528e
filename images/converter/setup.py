from setuptools import find_packages, setup

setup(
    name="edgecall-converter",
    version="0.1.0",
    description="FAST5 to the input layout of each edgecall basecaller",
    packages=find_packages(),
    python_requires=">=3.6",
    install_requires=["numpy", "h5py"],
    entry_points={"console_scripts": [
        "edgecall-convert=edgecall_converter.cli:main",
        "edgecall-sequencer=edgecall_converter.sequencer.cli:main",
    ]},
)
