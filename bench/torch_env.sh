# Sourced by the side-by-side scripts: the PyTorch peer's OpenBLAS settings for this CPU. OpenBLAS 0.3.21 does not
# recognise every new Intel CPU and falls back to slow kernels, so AVX-512 machines force its SkylakeX kernels; on an
# AVX2-only machine SkylakeX is an illegal instruction, and OpenBLAS detects Zen by itself (bench/README.md).
# BENCH_ISA=avx2 on an AVX-512 machine runs both sides on AVX2 code: OpenBLAS's Haswell kernels here, and rnn4j
# with RNN4J_JVM_OPTS="-XX:UseAVX=2 -Drnn4j.kernel=vector256" (the AVX2 plan, compiled for AVX2's 16 registers).
if [ "${BENCH_ISA:-}" = avx2 ]; then
  CORETYPE=Haswell; VARIANT=haswell
  case "${RNN4J_JVM_OPTS:-}" in *UseAVX=2*) ;; *) echo "BENCH_ISA=avx2 needs RNN4J_JVM_OPTS=\"-XX:UseAVX=2 -Drnn4j.kernel=vector256\"" >&2; exit 2;; esac
elif grep -q avx512f /proc/cpuinfo; then CORETYPE=SkylakeX; VARIANT=skylakex; else CORETYPE=; VARIANT=zen; fi
