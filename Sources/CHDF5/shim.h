#ifndef LARMOR_CHDF5_SHIM_H
#define LARMOR_CHDF5_SHIM_H
#include <hdf5.h>
// HDF5's type and property-list "constants" are macros that expand to global ids initialised by
// H5open(); Swift cannot import them, so each is wrapped in a function.
static inline hid_t larmor_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t larmor_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t larmor_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t larmor_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t larmor_h5t_native_uchar(void) { return H5T_NATIVE_UCHAR; }
static inline hid_t larmor_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t larmor_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline size_t larmor_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t larmor_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t larmor_h5s_all(void) { return H5S_ALL; }
static inline unsigned larmor_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned larmor_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
// Silence HDF5's automatic error stack printing; Larmor reports its own one-line errors.
static inline void larmor_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
