# Sourced by the side-by-side scripts: the PyTorch peer's OpenBLAS settings for this CPU. OpenBLAS 0.3.21 does not
# recognise every new Intel CPU and falls back to slow kernels, so AVX-512 machines force its SkylakeX kernels; on an
# AVX2-only machine SkylakeX is an illegal instruction, and OpenBLAS detects Zen by itself (bench/README.md).
if grep -q avx512f /proc/cpuinfo; then CORETYPE=SkylakeX; VARIANT=skylakex; else CORETYPE=; VARIANT=zen; fi
