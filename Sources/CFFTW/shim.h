#ifndef LARMOR_CFFTW_SHIM_H
#define LARMOR_CFFTW_SHIM_H
#include <fftw3.h>
// FFTW's planner flags are macros; expose the ones Larmor uses as functions Swift can call.
static inline unsigned larmor_fftw_estimate(void) { return FFTW_ESTIMATE; }
static inline unsigned larmor_fftw_measure(void) { return FFTW_MEASURE; }
#endif
