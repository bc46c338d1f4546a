// What the BLAS under the kernels is and how many threads it runs, so the
// programs can report and set it without including a BLAS header themselves.
#pragma once

#include <string>

namespace convscope::kernels {

// OpenBLAS's name for the kernel it chose for this processor ("Zen", "Haswell",
// "SkylakeX", ...), or "unknown" when the library does not say.
std::string blas_core_name();

// Threads OpenBLAS uses for one sgemm (the depthwise loops follow the same number).
int blas_threads();
void set_blas_threads(int threads);

}  // namespace convscope::kernels
