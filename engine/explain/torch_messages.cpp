// PyTorch's shape errors, worded as in 1.13 (recorded by
// tests/golden/make_explain_golden.py) and 2.x (aten/src/ATen/native/*.cpp,
// cited in tests/explain). PyTorch's 1D layers are (batch, channels, length).
#include <algorithm>
#include <array>

#include "explain/recognisers.hpp"
#include "layers/framework_messages.hpp"

namespace convscope::explain {

// Named inside the anonymous namespace: the Keras and PyTorch readers share names
// (read_ragged, ...) and meet in one unity batch.
namespace {
namespace torch_readers {

using framework_messages::shape_list;


ExplainedMessage base(MistakeKind mistake, std::string layer_type, std::vector<std::string> types) {
    ExplainedMessage m;
    m.mistake = mistake;
    m.layer_type = std::move(layer_type);
    m.stack_types = std::move(types);
    return m;
}

// "Given groups=1, weight of size [16, 5, 3], expected input[32, 100, 5] to have 5
// channels, but got 100 channels instead" (Convolution.cpp, check_shape_forward);
// "Given transposed=1, ..." for ConvTranspose1d.
std::optional<Reading> read_conv_channels(const FlatText& t, size_t at) {
    Cursor c(t, at);
    bool transposed = false;
    int64_t groups = 1;
    if (!c.lit("Given")) return std::nullopt;
    if (c.lit("groups=")) {
        auto g = c.integer();
        if (!g || *g < 1) return std::nullopt;
        groups = *g;
    } else if (c.lit("transposed=")) {
        if (!c.integer()) return std::nullopt;
        transposed = true;
    } else {
        return std::nullopt;
    }
    if (!c.lit(", weight of size")) return std::nullopt;
    auto weight = c.shape();
    if (!weight || !c.lit(", expected input")) return std::nullopt;
    auto in = c.shape();
    if (!in || !c.lit("to have")) return std::nullopt;
    auto expected = c.integer();
    if (!expected || !c.lit("channels, but got")) return std::nullopt;
    auto actual = c.integer();
    if (!actual || !c.lit("channels instead")) return std::nullopt;

    const std::string type = transposed ? "ConvTranspose1d" : "Conv1d";
    ExplainedMessage m = base(MistakeKind::ChannelMismatch, type, transposed ? kConvTransposeTypes : kConvTypes);
    m.shapes = {*weight, *in};
    m.expected = expected;
    m.actual = actual;
    m.quantity = "channels";
    m.axis = 1;
    m.role = AxisRole::Channels;
    m.layer_input = in;
    const std::string in_text = shape_list(*in);
    const std::string layer = "nn." + type + "(in_channels=" + num(*expected) + (groups > 1 ? ", groups=" + num(groups) : "") + ")";
    const bool channels_last = in->rank() == 3 && (*in)[2] == *expected && (*in)[1] != *expected;
    if (channels_last) {
        m.mistake = MistakeKind::TransposedInput;
        m.explanation = in_text + " reached " + layer + ": the data is channels_last (batch, length, channels), "
                        "PyTorch wants (batch, channels, length), so it read the " + num((*in)[1]) +
                        " steps on axis 1 as channels.";
        m.fixes.push_back("x = x.permute(0, 2, 1)  # " + in_text + " -> [" + num((*in)[0]) + ", " + num((*in)[2]) +
                          ", " + num((*in)[1]) + "], before the " + type);
        m.fixes.push_back("only if the data really has " + num(*actual) + " channels: nn." + type +
                          "(in_channels=" + num(*actual) + ", ...)");
        return Reading{m, c.pos()};
    }
    m.explanation = in_text + " reached " + layer + ": axis 1 (channels) holds " + num(*actual) + ", the layer was built for " +
                    num(*expected) + (groups > 1 ? " (groups=" + num(groups) + " × " + num((*weight)[1]) + " per group)" : "") + ".";
    if (groups > 1 && *actual % groups != 0)
        m.fixes.push_back("nn." + type + "(in_channels=" + num(*actual) + ", groups=1, ...): " + num(*actual) +
                          " channels cannot be split into " + num(groups) + " groups");
    else
        m.fixes.push_back("nn." + type + "(in_channels=" + num(*actual) + (groups > 1 ? ", groups=" + num(groups) : "") +
                          ", ...) to match the " + num(*actual) + " channels the data has");
    m.fixes.push_back("or make the layer before it produce " + num(*expected) + " channels (out_channels=" + num(*expected) + ")");
    if (in->rank() == 3 && (*in)[0] == 1)
        m.fixes.push_back("if you passed a (" + num((*in)[1]) + ", " + num((*in)[2]) + ") batch with no channel axis, PyTorch read it "
                          "as one unbatched example of " + num((*in)[1]) + " channels: x = x.unsqueeze(1) and in_channels=1");
    return Reading{m, c.pos()};
}

// "Calculated padded input size per channel: (4). Kernel size: (9). Kernel size
// can't be greater than actual input size" (Convolution.cpp, check_shape_forward).
std::optional<Reading> read_kernel_too_big(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Calculated padded input size per channel: (")) return std::nullopt;
    auto padded = c.x_dims();
    if (!padded || !c.lit("). Kernel size: (")) return std::nullopt;
    auto kernel = c.x_dims();
    if (!kernel || !c.lit(")")) return std::nullopt;
    c.lit(". Kernel size can't be greater than actual input size");
    const int64_t p = padded->dims.back(), k = kernel->dims.back();
    ExplainedMessage m = base(MistakeKind::SequenceTooShort, "Conv1d", kConvTypes);
    m.shapes = {*padded, *kernel};
    m.expected = k;
    m.actual = p;
    m.quantity = "steps";
    m.axis = 2;
    m.role = AxisRole::Length;
    m.explanation = "The Conv1d's kernel spans " + num(k) + " steps (dilation × (kernel_size − 1) + 1) but only " + num(p) +
                    " steps reach it, padding included: the sequence is shorter than the kernel on axis 2 (length).";
    const int64_t pad = ceil_div(std::max<int64_t>(k - p, 0), 2);
    m.fixes.push_back("padding=" + num(pad) + " more on each side than now (nn.Conv1d(..., padding=...)): " + num(p) + " + 2 × " +
                      num(pad) + " = " + num(p + 2 * pad) + " ≥ " + num(k));
    m.fixes.push_back("a shorter kernel: kernel_size=" + num(p) + " or less (with dilation=1)");
    m.fixes.push_back("a longer input: at least " + num(k) + " steps must reach this layer (now " + num(p) +
                      "); feed longer sequences or pool less before it");
    return Reading{m, c.pos()};
}

// "Given input size: (8x1x2). Calculated output size: (8x1x0). Output size is too
// small" (Pool.h, pool2d_shape_check; 1D pools run as 2D with a height of 1).
std::optional<Reading> read_pool_too_small(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Given input size: (")) return std::nullopt;
    auto in = c.x_dims();
    if (!in || !c.lit("). Calculated output size: (")) return std::nullopt;
    auto out = c.x_dims();
    if (!out || !c.lit("). Output size is too small")) return std::nullopt;
    const int64_t l = in->dims.back(), lo = out->dims.back();
    ExplainedMessage m = base(MistakeKind::SequenceTooShort, "MaxPool1d/AvgPool1d", kPoolTypes);
    m.shapes = {*in, *out};
    m.expected = 1;
    m.actual = lo;
    m.quantity = "output steps";
    m.axis = 2;
    m.role = AxisRole::Length;
    m.explanation = "A pooling window is longer than the " + num(l) + " steps that reach it, so it yields " + num(lo) +
                    " output steps on axis 2 (length).";
    m.fixes.push_back("kernel_size=" + num(l) + " or less (nn.MaxPool1d / nn.AvgPool1d)");
    m.fixes.push_back("ceil_mode=True, or padding=..., so a partial window still gives an output step");
    m.fixes.push_back("a longer input: more steps must reach this pool (now " + num(l) + "); downsample less before it");
    return Reading{m, c.pos()};
}

// 2.x "max_pool1d() Invalid computed output size: -1" (MaxPooling.cpp, check_max_pool1d).
std::optional<Reading> read_pool_invalid_output(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Invalid computed output size:")) return std::nullopt;
    auto lo = c.integer();
    if (!lo) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::SequenceTooShort, "MaxPool1d", kPoolTypes);
    m.expected = 1;
    m.actual = lo;
    m.quantity = "output steps";
    m.axis = 2;
    m.role = AxisRole::Length;
    m.explanation = "The max-pooling window (kernel_size, dilation) is longer than the steps that reach it on axis 2 (length): "
                    "the output would have " + num(*lo) + " steps.";
    m.fixes.push_back("a smaller kernel_size, at most the input length of this layer");
    m.fixes.push_back("ceil_mode=True or padding=..., or a longer input / less downsampling before it");
    return Reading{m, c.pos()};
}

// "max_pool1d() padding should be at most half of kernel size, but got padding=3 and
// kernel_size=4" (MaxPooling.cpp) and "pad should be at most half of effective kernel
// size, but got pad=3, kernel_size=4 and dilation=1" (Pool.h).
std::optional<Reading> read_pool_padding(const FlatText& t, size_t at) {
    Cursor c(t, at);
    const bool long_form = c.lit("padding should be at most half of kernel size, but got padding=");
    if (!long_form && !c.lit("pad should be at most half of effective kernel size, but got pad=")) return std::nullopt;
    auto pad = c.integer();
    if (!pad || !(c.lit("and kernel_size=") || c.lit(", kernel_size="))) return std::nullopt;
    auto k = c.integer();
    if (!k) return std::nullopt;
    if (c.lit("and dilation=")) c.integer();
    ExplainedMessage m = base(MistakeKind::InvalidParameters, "MaxPool1d/AvgPool1d", kPoolTypes);
    m.expected = *k / 2;
    m.actual = pad;
    m.quantity = "padding steps";
    m.axis = 2;
    m.role = AxisRole::Length;
    m.explanation = "The pool pads " + num(*pad) + " steps on each side of axis 2 (length) but PyTorch allows at most half the window (" +
                    num(*k) + " / 2 = " + num(*k / 2) + ").";
    m.fixes.push_back("padding=" + num(*k / 2) + " or less");
    m.fixes.push_back("or a larger kernel_size=" + num(2 * *pad) + " for padding=" + num(*pad));
    return Reading{m, c.pos()};
}

// "running_mean should contain 100 elements not 5" (Normalization.cpp, batch_norm):
// the first number is what the input has on axis 1, the second num_features.
std::optional<Reading> read_batchnorm(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!(c.lit("running_mean") || c.lit("running_var")) || !c.lit("should contain")) return std::nullopt;
    auto actual = c.integer();
    if (!actual || !c.lit("elements not")) return std::nullopt;
    auto expected = c.integer();
    if (!expected) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::ChannelMismatch, "BatchNorm1d", {"BatchNormalization"});
    m.expected = expected;
    m.actual = actual;
    m.quantity = "channels";
    m.axis = 1;
    m.role = AxisRole::Channels;
    m.explanation = "nn.BatchNorm1d(num_features=" + num(*expected) + ") normalises axis 1 (channels), which holds " + num(*actual) + ".";
    m.fixes.push_back("nn.BatchNorm1d(num_features=" + num(*actual) + ") to match the " + num(*actual) +
                      " channels (the previous layer's out_channels)");
    m.fixes.push_back("if the data is (batch, length, channels) with " + num(*expected) +
                      " channels last: x = x.permute(0, 2, 1) before it");
    return Reading{m, c.pos()};
}

ExplainedMessage linear_message(int64_t rows, int64_t cols, int64_t in_features, int64_t out_features) {
    ExplainedMessage m = base(MistakeKind::FeatureMismatch, "Linear", {"Dense"});
    m.shapes = {Shape{rows, cols}, Shape{in_features, out_features}};
    m.expected = in_features;
    m.actual = cols;
    m.quantity = "features";
    m.axis = 1;
    m.role = AxisRole::Features;
    const std::string linear = "nn.Linear(in_features=" + num(in_features) + ", out_features=" + num(out_features) + ")";
    if (cols > 0 && in_features % cols == 0 && in_features / cols > 1 && rows % (in_features / cols) == 0) {
        // The input still has its channel axis: (batch, channels, length) met a Linear,
        // which multiplies the last axis only, so batch × channels became the rows.
        const int64_t channels = in_features / cols, batch = rows / channels;
        m.mistake = MistakeKind::DenseWrongAxis;
        m.layer_input = Shape{batch, channels, cols};
        m.explanation = linear + " got a tensor that still has a length axis: PyTorch's Linear acts on the last axis, so [" +
                        num(batch) + ", " + num(channels) + ", " + num(cols) + "] was read as " + num(rows) + " rows of " +
                        num(cols) + " features.";
        m.fixes.push_back("nn.Flatten() (or x = x.flatten(1)) before " + linear + ": " + num(channels) + " × " + num(cols) +
                          " = " + num(in_features) + " features");
        m.fixes.push_back("or, to act on each step, nn.Linear(in_features=" + num(cols) + ", ...)");
        return m;
    }
    m.explanation = linear + " was fed " + num(cols) + " features per row (" + num(rows) + " rows): axis 1 (features) holds " +
                    num(cols) + ", the layer was built for " + num(in_features) + ".";
    m.fixes.push_back("nn.Flatten() then nn.Linear(in_features=" + num(cols) + ", out_features=" + num(out_features) + ")");
    m.fixes.push_back("or change the layers before it so they flatten to " + num(in_features) + " features (channels × length)");
    return m;
}

// "mat1 and mat2 shapes cannot be multiplied (32x1600 and 100x10)" (LinearAlgebra.cpp, addmm).
std::optional<Reading> read_linear(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("mat1 and mat2 shapes cannot be multiplied (")) return std::nullopt;
    auto a = c.x_dims();
    if (!a || a->rank() != 2 || !c.lit("and")) return std::nullopt;
    auto b = c.x_dims();
    if (!b || b->rank() != 2 || !c.lit(")")) return std::nullopt;
    return Reading{linear_message((*a)[0], (*a)[1], (*b)[0], (*b)[1]), c.pos()};
}

// PyTorch before 1.8: "size mismatch, m1: [32 x 1600], m2: [100 x 10]".
std::optional<Reading> read_linear_old(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("size mismatch, m1: [")) return std::nullopt;
    auto a = c.x_dims();
    if (!a || a->rank() != 2 || !c.lit("], m2: [")) return std::nullopt;
    auto b = c.x_dims();
    if (!b || b->rank() != 2 || !c.lit("]")) return std::nullopt;
    return Reading{linear_message((*a)[0], (*a)[1], (*b)[0], (*b)[1]), c.pos()};
}

// "shape '[32, 1600]' is invalid for input of size 48128" (InferSize.h, infer_size_impl).
std::optional<Reading> read_view(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("shape '")) return std::nullopt;
    auto target = c.shape();
    if (!target || target->rank() == 0 || !c.lit("' is invalid for input of size")) return std::nullopt;
    auto size = c.integer();
    if (!size || *size < 0) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::NonIntegerReshape, "view/reshape", {"Reshape", "Flatten"});
    m.shapes = {*target};
    const bool open = std::count(target->dims.begin(), target->dims.end(), int64_t{-1}) > 0;
    const int64_t known = known_product(*target);
    if (!open) m.expected = known;
    m.actual = size;
    m.quantity = "elements";
    m.axis = target->rank() - 1;
    m.role = target->rank() == 2 ? std::optional(AxisRole::Features) : std::nullopt;
    const std::string tl = shape_list(*target);
    m.explanation = "x.view/reshape(" + tl + ") " + (open ? "needs a multiple of " + num(known) : "needs exactly " + num(known)) +
                    " elements but the tensor holds " + num(*size) + ": the hard-coded sizes do not match what the layers before produce.";
    if (target->rank() == 2 && (*target)[0] > 0 && *size % (*target)[0] == 0) {
        const int64_t per = *size / (*target)[0];
        m.fixes.push_back("x = x.flatten(1) (or nn.Flatten()): [" + num((*target)[0]) + ", " + num(per) +
                          "], then nn.Linear(in_features=" + num(per) + ")");
    } else {
        m.fixes.push_back("x = x.flatten(1) (or x.view(x.size(0), -1)) instead of hard-coded sizes, then nn.Linear(in_features=channels × length)");
    }
    m.fixes.push_back("print x.shape just before the view: the product of its non-batch sizes is the in_features to use");
    return Reading{m, c.pos()};
}

// "padding='same' is not supported for strided convolutions" (Convolution.cpp, _convolution_mode).
std::optional<Reading> read_same_strided(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("padding='same' is not supported for strided convolutions")) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::InvalidParameters, "Conv1d", kConvTypes);
    m.axis = 2;
    m.role = AxisRole::Length;
    m.quantity = "stride";
    m.expected = 1;
    m.explanation = "PyTorch's padding='same' only exists for stride=1: with a stride the output cannot keep the input length on axis 2.";
    m.fixes.push_back("keep the stride and pad explicitly: padding=(kernel_size - 1) // 2 * dilation (padding=1 for kernel_size=3)");
    m.fixes.push_back("or stride=1 with padding='same', and downsample with nn.MaxPool1d after it");
    return Reading{m, c.pos()};
}

// "Argument #4: Padding size should be less than the corresponding input dimension,
// but got: padding (5, 5) at dimension 2 of input [32, 5, 4]" (ReflectionPad.cpp).
std::optional<Reading> read_reflect(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Padding size should be less than the corresponding input dimension, but got: padding")) return std::nullopt;
    auto pads = c.shape();
    if (!pads || pads->rank() == 0 || !c.lit("at dimension")) return std::nullopt;
    auto dim = c.integer();
    if (!dim || !c.lit("of input")) return std::nullopt;
    auto in = c.shape();
    if (!in || *dim < 0 || *dim >= in->rank()) return std::nullopt;
    const int64_t l = (*in)[*dim];
    const int64_t pad = *std::max_element(pads->dims.begin(), pads->dims.end());
    ExplainedMessage m = base(MistakeKind::SequenceTooShort, "Conv1d(padding_mode='reflect') / F.pad(mode='reflect')", kConvTypes);
    m.shapes = {*pads, *in};
    m.expected = l - 1;
    m.actual = pad;
    m.quantity = "padding steps";
    m.axis = *dim;
    m.role = (in->rank() == 3 && *dim == 2) || (in->rank() == 2 && *dim == 1) ? std::optional(AxisRole::Length) : std::nullopt;
    m.layer_input = in;
    m.explanation = "Reflect padding mirrors the sequence, so it can add at most " + num(l - 1) + " steps on each side of a " +
                    num(l) + "-step input (axis " + num(*dim) + "), not " + num(pad) + ".";
    m.fixes.push_back("padding=" + num(std::max<int64_t>(l - 1, 0)) + " or less with padding_mode='reflect'");
    m.fixes.push_back("padding_mode='replicate' or 'zeros' (no such limit)");
    m.fixes.push_back("a longer input: more than " + num(pad) + " steps (now " + num(l) + ")");
    return Reading{m, c.pos()};
}

// "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [32, 1, 5, 100]"
// (Convolution.cpp) and before 1.11 "Expected 3-dimensional input for 3-dimensional
// weight [16, 5, 3], but got 2-dimensional input of size [32, 100] instead".
std::optional<Reading> read_conv_rank(const FlatText& t, size_t at) {
    Cursor c(t, at);
    std::optional<Shape> in;
    std::string op = "conv1d";
    if (c.lit("Expected 2D (unbatched) or 3D (batched) input to")) {
        if (auto n = c.name()) op = *n;
        if (op.find("1d") == std::string::npos) return std::nullopt;  // conv2d & co are not ours
        if (!c.lit(", but got input of size:")) return std::nullopt;
        in = c.shape();
    } else if (c.lit("Expected 3-dimensional input for 3-dimensional weight")) {
        if (!c.shape() || !c.lit(", but got")) return std::nullopt;
        c.integer();
        if (!c.lit("-dimensional input of size")) return std::nullopt;
        in = c.shape();
        c.lit("instead");
    }
    if (!in) return std::nullopt;
    const bool transposed = op.find("transpose") != std::string::npos;
    ExplainedMessage m = base(MistakeKind::RankMismatch, transposed ? "ConvTranspose1d" : "Conv1d",
                              transposed ? kConvTransposeTypes : kConvTypes);
    m.shapes = {*in};
    m.expected = 3;
    m.actual = in->rank();
    m.quantity = "dimensions";
    m.layer_input = in;
    const std::string il = shape_list(*in);
    m.explanation = op + " takes (batch, channels, length) or one unbatched (channels, length); it got " + il + " with " +
                    num(in->rank()) + " dimensions.";
    if (in->rank() > 3) {
        const auto one = std::find(in->dims.begin() + 1, in->dims.end(), int64_t{1});
        if (one != in->dims.end()) {
            m.axis = one - in->dims.begin();
            m.fixes.push_back("x = x.squeeze(" + num(m.axis) + ")  # drop the extra axis of size 1");
        }
        m.fixes.push_back("x = x.flatten(1, " + num(in->rank() - 2) + ") to merge the extra axes into channels, then in_channels=" +
                          product_text(Shape(std::vector<int64_t>(in->dims.begin() + 1, in->dims.end() - 1))));
    } else if (in->rank() == 2) {
        m.axis = 1;
        m.role = AxisRole::Channels;
        m.fixes.push_back("x = x.unsqueeze(1)  # " + il + " -> [" + num((*in)[0]) + ", 1, " + num((*in)[1]) + "], with in_channels=1");
    } else {
        m.axis = 0;
        m.fixes.push_back("x = x.view(1, 1, -1)  # one example, one channel, with in_channels=1");
    }
    return Reading{m, c.pos()};
}

// "in_channels must be divisible by groups" / "out_channels must be divisible by groups"
// (torch/nn/modules/conv.py, _ConvNd.__init__).
std::optional<Reading> read_groups(const FlatText& t, size_t at) {
    Cursor c(t, at);
    const bool in = c.lit("in_channels");
    if (!in && !c.lit("out_channels")) return std::nullopt;
    if (!c.lit("must be divisible by groups")) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::InvalidParameters, "Conv1d", kConvTypes);
    m.axis = 1;
    m.role = AxisRole::Channels;
    m.quantity = "channels";
    const std::string what = in ? "in_channels" : "out_channels";
    m.explanation = "A grouped Conv1d splits the channels into `groups` equal parts, so " + what + " must be a multiple of groups.";
    m.fixes.push_back("groups that divides " + what + " (groups=1 always works; groups=in_channels is depthwise)");
    m.fixes.push_back("or " + what + " rounded to a multiple of groups");
    return Reading{m, c.pos()};
}

// "Given normalized_shape=[16], expected input with shape [*, 16], but got input of
// size[32, 16, 100]" (layer_norm.cpp, _check_layer_norm_inputs).
std::optional<Reading> read_layernorm(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Given normalized_shape=")) return std::nullopt;
    auto ns = c.shape();
    if (!ns || ns->rank() == 0 || !c.lit(", expected input with shape") || !c.shape() || !c.lit(", but got input of size"))
        return std::nullopt;
    auto got = c.shape();
    if (!got || got->rank() == 0) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::ChannelMismatch, "LayerNorm", {"LayerNormalization"});
    m.shapes = {*ns, *got};
    m.expected = ns->dims.back();
    m.actual = got->dims.back();
    m.quantity = "values on the last axis";
    m.axis = got->rank() - 1;
    m.role = got->rank() == 3 ? std::optional(AxisRole::Length) : std::optional(AxisRole::Features);
    m.layer_input = got;
    m.explanation = "nn.LayerNorm normalises the last axis; in PyTorch's (batch, channels, length) that is the length (" +
                    num(got->dims.back()) + "), not the " + num(ns->dims.back()) + " it was built for.";
    if (got->rank() == 3 && (*got)[1] == ns->dims.back())
        m.fixes.push_back("normalise over the channels: x.transpose(1, 2) before nn.LayerNorm(" + num(ns->dims.back()) +
                          ") and x.transpose(1, 2) after it");
    m.fixes.push_back("nn.LayerNorm(" + num(got->dims.back()) + ") to normalise the axis it gets");
    return Reading{m, c.pos()};
}

// "input.size(-1) must be equal to input_size. Expected 5, got 100" (torch/nn/modules/rnn.py, check_input).
std::optional<Reading> read_rnn(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("input.size(-1) must be equal to input_size. Expected")) return std::nullopt;
    auto e = c.integer();
    if (!e || !c.lit(", got")) return std::nullopt;
    auto g = c.integer();
    if (!g) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::FeatureMismatch, "LSTM/GRU/RNN", {});
    m.expected = e;
    m.actual = g;
    m.quantity = "features per step";
    m.axis = 2;
    m.role = AxisRole::Channels;
    m.explanation = "The recurrent layer reads features on the last axis ((batch, length, features) with batch_first=True); it finds " +
                    num(*g) + " there instead of input_size=" + num(*e) + ".";
    m.fixes.push_back("if the tensor comes from a Conv1d (batch, channels, length): x = x.permute(0, 2, 1) before the RNN");
    m.fixes.push_back("or input_size=" + num(*g));
    return Reading{m, c.pos()};
}

// "stack expects each tensor to be equal size, but got [100, 5] at entry 0 and [80, 5]
// at entry 1" (TensorShape.cpp, stack): a DataLoader batching sequences of different lengths.
std::optional<Reading> read_ragged(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("stack expects each tensor to be equal size, but got")) return std::nullopt;
    auto a = c.shape();
    if (!a || !c.lit("at entry") || !c.integer() || !c.lit("and")) return std::nullopt;
    auto b = c.shape();
    if (!b || !c.lit("at entry") || !c.integer()) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::RaggedBatch, "DataLoader (torch.stack)", {});
    m.shapes = {*a, *b};
    m.quantity = "steps";
    for (int64_t i = 0; i < std::min(a->rank(), b->rank()); ++i)
        if ((*a)[i] != (*b)[i]) {
            m.axis = i + 1;  // in the batch the stack would have made
            m.expected = (*a)[i];
            m.actual = (*b)[i];
            break;
        }
    m.role = AxisRole::Length;
    m.explanation = "The examples of one batch have different lengths (" + shape_list(*a) + " and " + shape_list(*b) +
                    "), so the default collate cannot stack them into one tensor.";
    m.fixes.push_back("pad in a collate_fn: torch.nn.utils.rnn.pad_sequence(batch, batch_first=True) (pads to the longest)");
    m.fixes.push_back("or pad the data once: convscope-cli pad DATA --out X.npy --maxlen N");
    m.fixes.push_back("or batch sequences of equal length together (bucketing)");
    return Reading{m, c.pos()};
}

// "output padding must be smaller than either stride or dilation, but got
// output_padding_height: 0 output_padding_width: 2 stride_height: 1 ..." (Convolution.cpp).
std::optional<Reading> read_output_padding(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("output padding must be smaller than either stride or dilation")) return std::nullopt;
    ExplainedMessage m = base(MistakeKind::InvalidParameters, "ConvTranspose1d", kConvTransposeTypes);
    m.axis = 2;
    m.role = AxisRole::Length;
    m.quantity = "output_padding";
    Cursor probe = c;
    std::optional<int64_t> op, stride, dilation;
    if (probe.skip_past("output_padding_width:", 80)) op = probe.integer();
    if (op && probe.skip_past("stride_width:", 60)) stride = probe.integer();
    if (stride && probe.skip_past("dilation_width:", 60)) dilation = probe.integer();
    if (dilation) {
        c = probe;
        m.actual = op;
        m.expected = std::max(*stride, *dilation) - 1;
    }
    m.explanation = "output_padding only picks among the output lengths a stride or dilation makes possible, so it must be below "
                    "max(stride, dilation)" + (dilation ? " = " + num(std::max(*stride, *dilation)) : std::string()) + ".";
    m.fixes.push_back("output_padding=" + (m.expected ? num(*m.expected) : std::string("max(stride, dilation) - 1")) + " or less");
    m.fixes.push_back("or a larger stride, if the longer output was the point");
    return Reading{m, c.pos()};
}

const std::array kTorch{
    Recogniser{"conv-channel-mismatch", Framework::PyTorch, "given groups=", "Given groups=G, weight of size [...], expected input[...] to have C channels, but got N channels instead", read_conv_channels},
    Recogniser{"conv-channel-mismatch", Framework::PyTorch, "given transposed=", "Given transposed=1, weight of size [...], expected input[...] to have C channels, ...", read_conv_channels},
    Recogniser{"kernel-larger-than-input", Framework::PyTorch, "calculated padded input size per channel", "Calculated padded input size per channel: (P). Kernel size: (K). ...", read_kernel_too_big},
    Recogniser{"pool-output-too-small", Framework::PyTorch, "given input size: (", "Given input size: (..). Calculated output size: (..). Output size is too small", read_pool_too_small},
    Recogniser{"pool-output-too-small", Framework::PyTorch, "invalid computed output size:", "max_pool1d() Invalid computed output size: N", read_pool_invalid_output},
    Recogniser{"pool-padding-too-large", Framework::PyTorch, "padding should be at most half of kernel size", "max_pool1d() padding should be at most half of kernel size, but got padding=P and kernel_size=K", read_pool_padding},
    Recogniser{"pool-padding-too-large", Framework::PyTorch, "pad should be at most half of effective kernel size", "pad should be at most half of effective kernel size, but got pad=P, ...", read_pool_padding},
    Recogniser{"batchnorm-features", Framework::PyTorch, "running_mean should contain", "running_mean should contain C elements not F", read_batchnorm},
    Recogniser{"batchnorm-features", Framework::PyTorch, "running_var should contain", "running_var should contain C elements not F", read_batchnorm},
    Recogniser{"linear-shape", Framework::PyTorch, "mat1 and mat2 shapes cannot be multiplied", "mat1 and mat2 shapes cannot be multiplied (AxB and CxD)", read_linear},
    Recogniser{"linear-shape", Framework::PyTorch, "size mismatch, m1:", "size mismatch, m1: [A x B], m2: [C x D]", read_linear_old},
    Recogniser{"view-size", Framework::PyTorch, "shape '", "shape '[...]' is invalid for input of size N", read_view},
    Recogniser{"same-padding-strided", Framework::PyTorch, "padding='same' is not supported for strided", "padding='same' is not supported for strided convolutions", read_same_strided},
    Recogniser{"reflect-padding-too-large", Framework::PyTorch, "padding size should be less than the corresponding input dimension", "Padding size should be less than the corresponding input dimension, but got: padding (..) at dimension D of input [...]", read_reflect},
    Recogniser{"conv-rank", Framework::PyTorch, "expected 2d (unbatched) or 3d (batched) input to", "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [...]", read_conv_rank},
    Recogniser{"conv-rank", Framework::PyTorch, "expected 3-dimensional input for 3-dimensional weight", "Expected 3-dimensional input for 3-dimensional weight [...], but got ...", read_conv_rank},
    Recogniser{"groups-divide", Framework::PyTorch, "in_channels must be divisible by groups", "in_channels must be divisible by groups", read_groups},
    Recogniser{"groups-divide", Framework::PyTorch, "out_channels must be divisible by groups", "out_channels must be divisible by groups", read_groups},
    Recogniser{"layernorm-shape", Framework::PyTorch, "given normalized_shape=", "Given normalized_shape=[N], expected input with shape [*, N], but got input of size[...]", read_layernorm},
    Recogniser{"rnn-input-size", Framework::PyTorch, "input.size(-1) must be equal to input_size", "input.size(-1) must be equal to input_size. Expected N, got M", read_rnn},
    Recogniser{"ragged-batch", Framework::PyTorch, "stack expects each tensor to be equal size", "stack expects each tensor to be equal size, but got [...] at entry 0 and [...] at entry 1", read_ragged},
    Recogniser{"output-padding-too-large", Framework::PyTorch, "output padding must be smaller than either stride or dilation", "output padding must be smaller than either stride or dilation, but got ...", read_output_padding},
};

}  // namespace torch_readers
}  // namespace

std::span<const Recogniser> torch_recognisers() { return torch_readers::kTorch; }

}  // namespace convscope::explain
