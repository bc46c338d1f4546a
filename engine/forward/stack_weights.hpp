// The learned tensors of a whole stack, by layer name, in PyTorch's layouts:
// made by a seeded initialiser or loaded from an .npz of PyTorch or Keras names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "common/result.hpp"
#include "diagnosis/shape_trace.hpp"
#include "layers/layer_forward.hpp"

namespace convscope {

struct StackWeights {
    std::map<std::string, LayerWeights> by_layer;
    std::string origin;  // "glorot_uniform seed 0", "model.npz (PyTorch state_dict names)", ...
};

enum class InitScheme {
    Keras,    // kernels glorot_uniform: U(-sqrt(6 / (fan_in + fan_out)), +...), biases zero
    PyTorch,  // weights and biases U(-1/sqrt(fan_in), +1/sqrt(fan_in)), PyTorch's default
};

// Every enabled layer's weights for the shapes in `trace` (which must pass).
// Deterministic: each layer draws from its own stream seeded by (seed, layer name),
// so adding a layer does not change the others' weights.
StackWeights initialise_weights(const Stack& stack, const Trace& trace, InitScheme scheme, uint64_t seed);

// An .npz with PyTorch state_dict keys ("conv1.weight", "bn.running_mean") or Keras
// keys ("conv1/kernel", "bn/moving_mean"); which one is detected from the keys.
// Keras tensors are converted to PyTorch layouts. A missing, extra or wrongly shaped
// weight is an error naming the layer, the key, the expected and the found shape.
Result<StackWeights> load_weights_npz(const std::filesystem::path& path, const Stack& stack, const Trace& trace);

// Whether `weights` have every tensor the stack needs for the shapes in `trace`, each of
// the right size. The error names the layer, the weight, the size found and the size the
// stack needs now: weights made for an earlier version of the stack are rebuilt, not run.
Status weights_fit(const Stack& stack, const Trace& trace, const StackWeights& weights);

// The WeightSpecs of each enabled layer for the shapes in `trace`, by layer name.
std::map<std::string, std::vector<WeightSpec>> weight_specs(const Stack& stack, const Trace& trace);

}  // namespace convscope
