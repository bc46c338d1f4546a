#include "kernels/blas_info.hpp"

#include <cblas.h>

namespace convscope::kernels {

std::string blas_core_name() {
    const char* core = openblas_get_corename();
    return core && *core ? std::string(core) : std::string("unknown");
}

int blas_threads() { return openblas_get_num_threads(); }

void set_blas_threads(int threads) { openblas_set_num_threads(threads < 1 ? 1 : threads); }

}  // namespace convscope::kernels
