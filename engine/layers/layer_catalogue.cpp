#include <array>

#include "layers/catalogue_entries.hpp"

namespace convscope {

std::span<const LayerKind* const> layer_catalogue() {
    static const std::array<const LayerKind*, 20> kinds{
        &conv1d_kind(),
        &conv1d_transpose_kind(),
        &depthwise_conv1d_kind(),
        &separable_conv1d_kind(),
        &max_pooling1d_kind(),
        &average_pooling1d_kind(),
        &global_max_pooling1d_kind(),
        &global_average_pooling1d_kind(),
        &zero_padding1d_kind(),
        &cropping1d_kind(),
        &up_sampling1d_kind(),
        &masking_kind(),
        &permute_kind(),
        &reshape_kind(),
        &flatten_kind(),
        &dense_kind(),
        &activation_kind(),
        &dropout_kind(),
        &batch_normalization_kind(),
        &layer_normalization_kind(),
    };
    return kinds;
}

const LayerKind* find_layer_kind(std::string_view type) {
    for (const auto* k : layer_catalogue())
        if (k->type() == type) return k;
    return nullptr;
}

std::vector<std::string> layer_type_names() {
    std::vector<std::string> names;
    for (const auto* k : layer_catalogue()) names.emplace_back(k->type());
    return names;
}

std::string_view to_string(MistakeKind k) {
    switch (k) {
        case MistakeKind::TransposedInput: return "transposed_input";
        case MistakeKind::ChannelMismatch: return "channel_mismatch";
        case MistakeKind::RaggedBatch: return "ragged_batch";
        case MistakeKind::SequenceTooShort: return "sequence_too_short";
        case MistakeKind::DenseWrongAxis: return "dense_wrong_axis";
        case MistakeKind::NonIntegerReshape: return "non_integer_reshape";
        case MistakeKind::RankMismatch: return "rank_mismatch";
        case MistakeKind::FeatureMismatch: return "feature_mismatch";
        case MistakeKind::LengthMismatch: return "length_mismatch";
        case MistakeKind::InvalidParameters: return "invalid_parameters";
        case MistakeKind::SizeOverflow: return "size_overflow";
    }
    return "unknown";
}

std::string_view title(MistakeKind k) {
    switch (k) {
        case MistakeKind::TransposedInput: return "Transposed input";
        case MistakeKind::ChannelMismatch: return "Channel mismatch";
        case MistakeKind::RaggedBatch: return "Ragged lengths in one batch";
        case MistakeKind::SequenceTooShort: return "Sequence shorter than the layer's reach";
        case MistakeKind::DenseWrongAxis: return "Dense on the wrong axis";
        case MistakeKind::NonIntegerReshape: return "Reshape that does not divide evenly";
        case MistakeKind::RankMismatch: return "Wrong number of axes";
        case MistakeKind::FeatureMismatch: return "Feature count mismatch";
        case MistakeKind::LengthMismatch: return "Length differs from the declared one";
        case MistakeKind::InvalidParameters: return "Invalid layer parameters";
        case MistakeKind::SizeOverflow: return "Size beyond the limits";
    }
    return "Unknown";
}

}  // namespace convscope
