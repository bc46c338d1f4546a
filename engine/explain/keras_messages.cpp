// Keras 2 (tf.keras), Keras 3 and TensorFlow op errors, worded as in their sources
// (cited per message in tests/explain). Keras' 1D layers are (batch, length, channels).
#include <algorithm>
#include <array>

#include "explain/recognisers.hpp"

namespace convscope::explain {

// Named inside the anonymous namespace: the Keras and PyTorch readers share names
// (read_ragged, ...) and meet in one unity batch.
namespace {
namespace keras_readers {


std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

// Keras names layers after their class ("conv1d_2", "dense"); the class is what we can tell.
struct LayerGuess {
    std::string type;                 // Keras class
    std::vector<std::string> stack;   // ConvScope types
};
LayerGuess guess_layer(const std::string& name) {
    const std::string n = lower(name);
    if (n.find("transpose") != std::string::npos) return {"Conv1DTranspose", {"Conv1DTranspose"}};
    if (n.find("separable") != std::string::npos) return {"SeparableConv1D", {"SeparableConv1D"}};
    if (n.find("depthwise") != std::string::npos) return {"DepthwiseConv1D", {"DepthwiseConv1D"}};
    if (n.find("conv") != std::string::npos) return {"Conv1D", kConvTypes};
    if (n.find("dense") != std::string::npos) return {"Dense", {"Dense"}};
    if (n.find("batch_norm") != std::string::npos) return {"BatchNormalization", {"BatchNormalization"}};
    if (n.find("layer_norm") != std::string::npos) return {"LayerNormalization", {"LayerNormalization"}};
    if (n.find("max_pool") != std::string::npos) return {"MaxPooling1D", {"MaxPooling1D"}};
    if (n.find("average_pool") != std::string::npos) return {"AveragePooling1D", {"AveragePooling1D"}};
    if (n.find("global") != std::string::npos) return {"GlobalPooling1D", {"GlobalAveragePooling1D", "GlobalMaxPooling1D"}};
    if (n.find("flatten") != std::string::npos) return {"Flatten", {"Flatten"}};
    if (n.find("lstm") != std::string::npos || n.find("gru") != std::string::npos) return {"RNN", {}};
    return {"", {}};
}

std::optional<AxisRole> keras_role(int64_t rank, int64_t axis) {
    if (rank == 3) return axis == 0 ? AxisRole::Batch : axis == 1 ? AxisRole::Length : AxisRole::Channels;
    if (rank == 2) return axis == 0 ? AxisRole::Batch : AxisRole::Features;
    return std::nullopt;
}

std::string transposed_text(const Shape& s) {
    return "(" + num(s[0]) + ", " + num(s[2]) + ", " + num(s[1]) + ")";
}

ExplainedMessage named(const FlatText& t, size_t at) {
    ExplainedMessage m;
    if (auto n = name_before(t, at, "of layer ")) {
        m.layer_name = *n;
        auto g = guess_layer(*n);
        m.layer_type = g.type;
        m.stack_types = g.stack;
    }
    return m;
}

// 'Input 0 of layer "conv1d" is incompatible with the layer: expected axis -1 of input
// shape to have value 5, but received input with shape (32, 5, 100)'
// (keras/src/layers/input_spec.py, assert_input_compatibility; tf_keras' the same).
std::optional<Reading> read_axis_value(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("expected axis")) return std::nullopt;
    auto axis = c.integer();
    if (!axis || !c.lit("of input shape to have value")) return std::nullopt;
    auto value = c.integer();
    if (!value) return std::nullopt;
    c.lit(",");
    if (!c.lit("but received input with shape")) return std::nullopt;
    auto s = c.shape();
    if (!s || s->rank() == 0) return std::nullopt;
    const int64_t ax = *axis < 0 ? s->rank() + *axis : *axis;
    if (ax < 0 || ax >= s->rank()) return std::nullopt;
    ExplainedMessage m = named(t, at);
    m.mistake = MistakeKind::ChannelMismatch;
    m.shapes = {*s};
    m.expected = value;
    m.actual = (*s)[ax];
    m.axis = ax;
    m.role = keras_role(s->rank(), ax);
    m.quantity = m.role == AxisRole::Channels ? "channels" : "features";
    m.layer_input = s;
    const std::string who = m.layer_name.empty() ? std::string("The layer") : "Layer \"" + m.layer_name + "\"";
    const int64_t flat = known_product(Shape(std::vector<int64_t>(s->dims.begin() + 1, s->dims.end())));
    if (s->rank() == 3 && m.layer_type == "Dense") {
        m.mistake = MistakeKind::DenseWrongAxis;
        m.quantity = "features";
        m.explanation = who + " was built for " + num(*value) + " features but gets " + s->to_string() +
                        ", which still has its length axis.";
        if (flat == *value) m.fixes.push_back("layers.Flatten() before the Dense: " + num((*s)[1]) + " × " + num((*s)[2]) + " = " + num(flat) + " features");
        m.fixes.push_back("layers.GlobalAveragePooling1D() before the Dense (" + num((*s)[2]) + " features), then Dense is rebuilt for them");
        return Reading{m, c.pos()};
    }
    if (s->rank() == 3 && ax == 2 && (*s)[1] == *value && (*s)[2] != *value) {
        m.mistake = MistakeKind::TransposedInput;
        m.explanation = s->to_string() + " reached " + who + ", built for " + num(*value) +
                        " channels: the data is channels_first (batch, channels, length), Keras wants (batch, length, channels).";
        m.fixes.push_back("x = np.transpose(x, (0, 2, 1))  # " + s->to_string() + " -> " + transposed_text(*s));
        m.fixes.push_back("or layers.Permute((2, 1)) as the model's first layer");
        m.fixes.push_back("or data_format=\"channels_first\" on the Conv1D layers");
        return Reading{m, c.pos()};
    }
    m.explanation = who + " was built for " + num(*value) + " " + m.quantity + " on axis " + num(ax) + " but received " +
                    s->to_string() + " with " + num((*s)[ax]) + ".";
    if (m.role == AxisRole::Channels) {
        m.fixes.push_back("build the model for " + num((*s)[ax]) + " channels: keras.Input(shape=(" +
                          ((*s)[1] < 0 ? std::string("None") : num((*s)[1])) + ", " + num((*s)[ax]) + "))");
        m.fixes.push_back("or make the layer before it output " + num(*value) + " channels (filters=" + num(*value) + ")");
    } else {
        m.fixes.push_back("rebuild the model on the data's shape (keras.Input(shape=...)) so this layer is built for " + num((*s)[ax]) + " features");
        m.fixes.push_back("or make what reaches it have " + num(*value) + " features (input length × channels before Flatten)");
    }
    return Reading{m, c.pos()};
}

// "expected min_ndim=3, found ndim=2. Full shape received: (32, 100)" and
// "expected ndim=3, found ndim=4. Full shape received: (...)" (input_spec.py).
std::optional<Reading> read_ndim(const FlatText& t, size_t at) {
    Cursor c(t, at);
    const bool min = c.lit("expected min_ndim=");
    if (!min && !c.lit("expected ndim=")) return std::nullopt;
    auto want = c.integer();
    if (!want || !c.lit(", found ndim=")) return std::nullopt;
    auto got = c.integer();
    if (!got) return std::nullopt;
    std::optional<Shape> s;
    if (c.lit(". Full shape received:")) s = c.shape();
    ExplainedMessage m = named(t, at);
    m.mistake = MistakeKind::RankMismatch;
    m.expected = want;
    m.actual = got;
    m.quantity = "dimensions";
    if (s) {
        m.shapes = {*s};
        m.layer_input = s;
    }
    const std::string st = s ? s->to_string() : "the input";
    const std::string who = m.layer_name.empty() ? std::string("the layer") : "layer \"" + m.layer_name + "\"";
    if (*got < *want) {
        m.axis = *got;  // where the missing axis goes
        m.role = *want == 3 ? std::optional(AxisRole::Channels) : std::nullopt;
        m.explanation = st + " has " + num(*got) + " dimensions; " + who + " needs " + (min ? "at least " : "") + num(*want) +
                        ((*want == 3) ? " (batch, length, channels): the channel axis is missing." : ".");
        std::string added = "(";
        if (s) {
            for (int64_t d : s->dims) added += (d < 0 ? std::string("None") : num(d)) + ", ";
            added += "1)";
        }
        m.fixes.push_back("x = np.expand_dims(x, -1)" + (s ? "  # " + st + " -> " + added : std::string()));
        if (s && s->rank() == 2 && (*s)[1] > 0) m.fixes.push_back("or layers.Reshape((" + num((*s)[1]) + ", 1)) as the first layer");
    } else {
        m.explanation = st + " has " + num(*got) + " dimensions; " + who + " takes exactly " + num(*want) + ".";
        if (s) {
            const auto one = std::find(s->dims.begin() + 1, s->dims.end(), int64_t{1});
            if (one != s->dims.end()) {
                m.axis = one - s->dims.begin();
                m.fixes.push_back("x = np.squeeze(x, axis=" + num(m.axis) + ")  # drop the axis of size 1");
            }
        }
        m.fixes.push_back("layers.Reshape(...) to (length, channels) before it");
    }
    return Reading{m, c.pos()};
}

ExplainedMessage model_input_message(const Shape& want, const Shape& got) {
    ExplainedMessage m;
    m.mistake = MistakeKind::LengthMismatch;
    m.shapes = {want, got};
    m.layer_input = got;
    m.shape_is_model_input = true;
    m.quantity = "";
    const std::string ws = want.to_string(), gs = got.to_string();
    if (want.rank() != got.rank()) {
        m.mistake = MistakeKind::RankMismatch;
        m.expected = want.rank();
        m.actual = got.rank();
        m.quantity = "dimensions";
        m.explanation = "The model was built for " + ws + " and was fed " + gs + ".";
        if (got.rank() + 1 == want.rank()) m.fixes.push_back("x = np.expand_dims(x, -1)  # add the channel axis");
        m.fixes.push_back("reshape the data to " + ws + " (batch first)");
        return m;
    }
    int64_t axis = -1;
    for (int64_t i = 1; i < want.rank(); ++i)
        if (want[i] >= 0 && got[i] >= 0 && want[i] != got[i]) {
            axis = i;
            break;
        }
    m.axis = axis;
    m.role = keras_role(got.rank(), axis);
    if (axis >= 0) {
        m.expected = want[axis];
        m.actual = got[axis];
    }
    if (got.rank() == 3 && want[1] == got[2] && want[2] == got[1] && want[1] != want[2]) {
        m.mistake = MistakeKind::TransposedInput;
        m.axis = 2;
        m.role = AxisRole::Channels;
        m.expected = want[2];
        m.actual = got[2];
        m.quantity = "channels";
        m.explanation = "The model takes " + ws + " (batch, length, channels) and was fed " + gs +
                        ": the data is channels_first, its axes 1 and 2 are swapped.";
        m.fixes.push_back("x = np.transpose(x, (0, 2, 1))  # " + gs + " -> " + transposed_text(got));
        m.fixes.push_back("or layers.Permute((2, 1)) as the model's first layer");
        return m;
    }
    if (m.role == AxisRole::Length) {
        m.quantity = "steps";
        m.explanation = "The model was built for sequences of " + num(want[1]) + " steps (axis 1) and was fed " + num(got[1]) + ".";
        m.fixes.push_back("keras.utils.pad_sequences(x, maxlen=" + num(want[1]) + ", padding=\"post\", truncating=\"post\")");
        m.fixes.push_back("or keras.Input(shape=(None, " + num(got.rank() == 3 ? got[2] : 1) + ")) to accept any length (no Flatten after it)");
    } else {
        m.mistake = MistakeKind::ChannelMismatch;
        m.quantity = "channels";
        m.explanation = "The model was built for " + ws + " and was fed " + gs + ": axis " + num(axis) + " differs.";
        m.fixes.push_back("keras.Input(shape=" + Shape(std::vector<int64_t>(got.dims.begin() + 1, got.dims.end())).to_string() +
                          ") to build the model for this data");
    }
    return m;
}

// 'Input 0 of layer "model" is incompatible with the layer: expected shape=(None, 100, 5),
// found shape=(32, 5, 100)' (input_spec.py, the spec.shape check).
std::optional<Reading> read_model_shape(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("expected shape=")) return std::nullopt;
    auto want = c.shape();
    if (!want || !c.lit(", found shape=")) return std::nullopt;
    auto got = c.shape();
    if (!got) return std::nullopt;
    ExplainedMessage m = model_input_message(*want, *got);
    ExplainedMessage n = named(t, at);
    m.layer_name = n.layer_name;
    return Reading{m, c.pos()};
}

// tf.keras' warning "Model was constructed with shape (None, 100, 5) for input
// KerasTensor(...), but it was called on an input with incompatible shape (32, 5, 100)."
// (keras/engine/functional.py, _conform_to_reference_input).
std::optional<Reading> read_model_warning(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Model was constructed with shape")) return std::nullopt;
    auto want = c.shape();
    if (!want || !c.skip_past("but it was called on an input with incompatible shape", 600)) return std::nullopt;
    auto got = c.shape();
    if (!got) return std::nullopt;
    return Reading{model_input_message(*want, *got), c.pos()};
}

// Keras 2.0-2.3: "Error when checking input: expected conv1d_input to have shape (100, 5)
// but got array with shape (5, 100)" (keras/engine/training_utils.py, standardize_input_data).
std::optional<Reading> read_checking_input(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Error when checking input: expected") || !c.name()) return std::nullopt;
    if (c.lit("to have shape")) {
        auto want = c.shape();
        if (!want || !c.lit("but got array with shape")) return std::nullopt;
        auto got = c.shape();
        if (!got) return std::nullopt;
        std::vector<int64_t> w{kAnyDim}, g{kAnyDim};
        w.insert(w.end(), want->dims.begin(), want->dims.end());
        g.insert(g.end(), got->dims.begin(), got->dims.end());
        ExplainedMessage m = model_input_message(Shape(w), Shape(g));
        m.shapes = {*want, *got};
        m.layer_input.reset();  // the batch is not in the message
        return Reading{m, c.pos()};
    }
    if (!c.lit("to have")) return std::nullopt;
    auto want = c.integer();
    if (!want || !c.lit("dimensions, but got array with shape")) return std::nullopt;
    auto got = c.shape();
    if (!got) return std::nullopt;
    ExplainedMessage m;
    m.mistake = MistakeKind::RankMismatch;
    m.shapes = {*got};
    m.layer_input = got;
    m.shape_is_model_input = true;
    m.expected = want;
    m.actual = got->rank();
    m.quantity = "dimensions";
    m.axis = got->rank();
    m.role = *want == 3 ? std::optional(AxisRole::Channels) : std::nullopt;
    m.explanation = "The model takes " + num(*want) + "-dimensional input (batch, length, channels) and was fed " + got->to_string() + ".";
    m.fixes.push_back("x = np.expand_dims(x, -1)  # add the channel axis");
    return Reading{m, c.pos()};
}

ExplainedMessage too_short(int64_t reach, int64_t length, const std::string& op_name) {
    const bool pool = lower(op_name).find("pool") != std::string::npos;
    ExplainedMessage m;
    m.mistake = MistakeKind::SequenceTooShort;
    m.layer_type = pool ? "MaxPooling1D/AveragePooling1D" : "Conv1D";
    m.stack_types = pool ? kPoolTypes : kConvTypes;
    m.expected = reach;
    m.actual = length;
    m.quantity = "steps";
    m.axis = 1;
    m.role = AxisRole::Length;
    m.explanation = std::string(pool ? "The pooling window" : "The kernel") + " spans " + num(reach) + " steps but only " +
                    num(length) + " reach the layer on axis 1 (length): the output would be empty.";
    if (pool) {
        m.fixes.push_back("padding=\"same\" on the pooling layer");
        m.fixes.push_back("pool_size=" + num(std::max<int64_t>(length, 1)) + " or less");
    } else {
        m.fixes.push_back("padding=\"same\" on the Conv1D");
        m.fixes.push_back("a shorter kernel: kernel_size=" + num(std::max<int64_t>(length, 1)) + " or less (dilation_rate=1)");
    }
    m.fixes.push_back("a longer input: at least " + num(reach) + " steps must reach this layer (now " + num(length) +
                      "); pool less before it");
    return m;
}

// TensorFlow graph mode: "Negative dimension size caused by subtracting 9 from 4 for
// '{{node conv1d/Conv1D}} = Conv2D[...]' with input shapes: [?,1,4,5], [1,9,5,16]."
// (tensorflow/core/framework/common_shape_fns.cc, GetWindowedOutputSizeFromDimsV2).
std::optional<Reading> read_negative_dimension(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Negative dimension size caused by subtracting")) return std::nullopt;
    auto k = c.integer();
    if (!k || !c.lit("from")) return std::nullopt;
    auto l = c.integer();
    if (!l) return std::nullopt;
    std::string node;
    Cursor probe = c;
    if (probe.lit("for")) {
        probe.lit("'");
        probe.lit("{{node");
        if (auto n = probe.name()) {
            node = *n;
            c = probe;
        }
    }
    std::vector<Shape> shapes;
    Cursor sh = c;
    if (sh.skip_past("with input shapes:", 400))
        while (auto s = sh.shape()) {
            shapes.push_back(*s);
            if (shapes.size() >= 4 || !sh.lit(",")) break;
        }
    if (!shapes.empty()) c = sh;
    const std::string layer = node.substr(0, node.find('/'));
    const std::string op = node.find('/') == std::string::npos ? node : node.substr(node.find('/') + 1);
    ExplainedMessage m = too_short(*k, *l, op.empty() ? layer : op);
    m.shapes = shapes;
    m.layer_name = layer;
    if (!layer.empty()) {
        auto g = guess_layer(layer);
        if (!g.type.empty()) {
            m.layer_type = g.type;
            m.stack_types = g.stack;
        }
    }
    return Reading{m, c.pos()};
}

// "Computed output size would be negative: -4 [input_size: 4, effective_filter_size: 9,
// stride: 1]" (tensorflow/core/framework/kernel_shape_util.cc, GetWindowedOutputSizeVerbose);
// Keras 3: "Computed output size would be negative. Received `inputs shape=(None, 4, 5)`,
// `kernel shape=(9, 5, 16)`, `dilation_rate=[1]`." and for pooling "Received:
// `inputs.shape=(32, 1, 16)` and `pool_size=[2]`." (keras/src/ops/operation_utils.py,
// compute_conv_output_shape / compute_pooling_output_shape).
std::optional<Reading> read_negative_output(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Computed output size would be negative")) return std::nullopt;
    if (c.lit(":")) {
        auto out = c.integer();
        if (!out || !c.lit("[input_size:")) return std::nullopt;
        auto l = c.integer();
        if (!l || !c.lit(", effective_filter_size:")) return std::nullopt;
        auto k = c.integer();
        if (!k) return std::nullopt;
        if (c.lit(", stride:")) c.integer();
        c.lit("]");
        return Reading{too_short(*k, *l, "conv"), c.pos()};
    }
    auto first_of_list = [](Cursor& cur) -> std::optional<int64_t> {  // "[2]", "[1 1]", "(2,)", "2"
        if (auto s = cur.shape(); s && s->rank() > 0) return s->dims.front();
        Cursor probe = cur;
        if (!probe.lit("[")) return cur.integer();
        auto v = probe.integer();
        if (!v || !probe.skip_past("]", 40)) return std::nullopt;
        cur = probe;
        return v;
    };
    if (!c.lit(". Received")) return std::nullopt;
    c.lit(":");
    if (c.lit("`inputs shape=")) {
        auto in = c.shape();
        if (!in || in->rank() < 3 || !c.lit("`, `kernel shape=")) return std::nullopt;
        auto kernel = c.shape();
        if (!kernel || kernel->rank() < 3 || !c.lit("`, `dilation_rate=")) return std::nullopt;
        auto dilation = first_of_list(c);
        if (!dilation) return std::nullopt;
        c.lit("`.");
        const int64_t reach = *dilation * ((*kernel)[0] - 1) + 1;
        ExplainedMessage m = too_short(reach, (*in)[1], "conv");
        m.shapes = {*in, *kernel};
        m.layer_input = in;
        return Reading{m, c.pos()};
    }
    if (c.lit("`inputs.shape=")) {
        auto in = c.shape();
        if (!in || in->rank() < 3 || !c.lit("` and `pool_size=")) return std::nullopt;
        auto pool = first_of_list(c);
        if (!pool) return std::nullopt;
        c.lit("`.");
        ExplainedMessage m = too_short(*pool, (*in)[1], "pool");
        m.shapes = {*in};
        m.layer_input = in;
        return Reading{m, c.pos()};
    }
    return std::nullopt;
}

// "The number of input channels must be evenly divisible by the number of groups.
// Received groups=2, but the input has 5 channels (full input shape is (None, 100, 5))."
// (keras/src/layers/convolutional/base_conv.py, build).
std::optional<Reading> read_groups_channels(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("The number of input channels must be evenly divisible by the number of groups. Received groups="))
        return std::nullopt;
    auto g = c.integer();
    if (!g || *g < 1 || !c.lit(", but the input has")) return std::nullopt;
    auto ch = c.integer();
    if (!ch || !c.lit("channels")) return std::nullopt;
    ExplainedMessage m;
    m.mistake = MistakeKind::InvalidParameters;
    m.layer_type = "Conv1D";
    m.stack_types = kConvTypes;
    if (c.lit("(full input shape is")) {
        if (auto s = c.shape()) {
            m.shapes = {*s};
            m.layer_input = s;
            m.axis = s->rank() - 1;
        }
        c.lit(").");
    }
    m.expected = g;
    m.actual = ch;
    m.quantity = "channels";
    m.role = AxisRole::Channels;
    m.explanation = "A grouped Conv1D splits the " + num(*ch) + " input channels into groups=" + num(*g) + " equal parts; " +
                    num(*ch) + " is not a multiple of " + num(*g) + ".";
    m.fixes.push_back("groups=1 (or another divisor of " + num(*ch) + ")");
    m.fixes.push_back("or make the layer before it output " + num(ceil_div(*ch, *g) * *g) + " channels (a multiple of " + num(*g) + ")");
    return Reading{m, c.pos()};
}

// "The number of filters must be evenly divisible by the number of groups. Received:
// groups=2, filters=15." (base_conv.py, __init__).
std::optional<Reading> read_groups_filters(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("The number of filters must be evenly divisible by the number of groups. Received:")) return std::nullopt;
    if (!c.lit("groups=")) return std::nullopt;
    auto g = c.integer();
    if (!g || *g < 1 || !c.lit(", filters=")) return std::nullopt;
    auto f = c.integer();
    if (!f) return std::nullopt;
    c.lit(".");
    ExplainedMessage m;
    m.mistake = MistakeKind::InvalidParameters;
    m.layer_type = "Conv1D";
    m.stack_types = kConvTypes;
    m.expected = g;
    m.actual = f;
    m.quantity = "filters";
    m.role = AxisRole::Channels;
    m.explanation = "With groups=" + num(*g) + " each group makes filters / groups output channels; filters=" + num(*f) +
                    " does not split evenly.";
    m.fixes.push_back("filters=" + num(ceil_div(*f, *g) * *g) + " (a multiple of " + num(*g) + ")");
    m.fixes.push_back("or groups=1");
    return Reading{m, c.pos()};
}

ExplainedMessage reshape_message(const Shape& in, const Shape& target) {
    ExplainedMessage m;
    m.mistake = MistakeKind::NonIntegerReshape;
    m.layer_type = "Reshape";
    m.stack_types = {"Reshape"};
    m.shapes = {in, target};
    m.actual = known_product(in);
    if (std::find(target.dims.begin(), target.dims.end(), kAnyDim) == target.dims.end()) m.expected = known_product(target);
    m.quantity = "elements per example";
    m.axis = in.rank();  // the last axis of the batched input
    m.role = in.rank() == 2 ? std::optional(AxisRole::Channels) : std::nullopt;
    m.explanation = "Reshape" + target.to_string() + " needs " + (m.expected ? num(*m.expected) : std::string("a divisor of")) +
                    " elements per example but each has " + product_text(in) + " = " + num(*m.actual) + ".";
    m.fixes.push_back("layers.Flatten() (never needs the number), or layers.Reshape((" + num(*m.actual) + ",))");
    m.fixes.push_back("or a target whose sizes multiply to " + num(*m.actual));
    return m;
}

// Keras 2: "total size of new array must be unchanged, input_shape = [100, 16],
// output_shape = [1500]" (keras/layers/reshaping/reshape.py, _fix_unknown_dimension).
std::optional<Reading> read_reshape_k2(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("total size of new array must be unchanged, input_shape =")) return std::nullopt;
    auto in = c.shape();
    if (!in || !c.lit(", output_shape =")) return std::nullopt;
    auto out = c.shape();
    if (!out) return std::nullopt;
    return Reading{reshape_message(*in, *out), c.pos()};
}

// Keras 3: "The total size of the tensor must be unchanged. Received: input_shape=(100, 16),
// target_shape=(1500,)" (keras/src/ops/operation_utils.py, compute_reshape_output_shape).
std::optional<Reading> read_reshape_k3(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("The total size of the tensor must be unchanged. Received: input_shape=")) return std::nullopt;
    auto in = c.shape();
    if (!in || !c.lit(", target_shape=")) return std::nullopt;
    auto out = c.shape();
    if (!out) return std::nullopt;
    return Reading{reshape_message(*in, *out), c.pos()};
}

// "Input to reshape is a tensor with 51200 values, but the requested shape has 48000"
// or "... requires a multiple of 1600" (tensorflow/core/kernels/reshape_op.h).
std::optional<Reading> read_tf_reshape(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Input to reshape is a tensor with")) return std::nullopt;
    auto have = c.integer();
    if (!have || !c.lit("values, but the requested shape")) return std::nullopt;
    const bool multiple = c.lit("requires a multiple of");
    if (!multiple && !c.lit("has")) return std::nullopt;
    auto want = c.integer();
    if (!want) return std::nullopt;
    ExplainedMessage m;
    m.mistake = MistakeKind::NonIntegerReshape;
    m.layer_type = "Reshape";
    m.stack_types = {"Reshape", "Flatten"};
    m.expected = want;
    m.actual = have;
    m.quantity = "elements";
    m.explanation = "The tensor holds " + num(*have) + " values but the reshape asks for " + (multiple ? "a multiple of " : "") +
                    num(*want) + ": a hard-coded target no longer matches the layers before it.";
    m.fixes.push_back("layers.Flatten() instead of a fixed Reshape, or a target whose sizes multiply to the values per example");
    m.fixes.push_back("check the input length the model was built for: a different length changes the size after each layer");
    return Reading{m, c.pos()};
}

// "Matrix size-incompatible: In[0]: [32,1600], In[1]: [100,10]" (tensorflow/core/kernels/matmul_op_impl.h).
std::optional<Reading> read_tf_matmul(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Matrix size-incompatible: In[0]:")) return std::nullopt;
    auto a = c.shape();
    if (!a || a->rank() != 2 || !c.lit(", In[1]:")) return std::nullopt;
    auto b = c.shape();
    if (!b || b->rank() != 2) return std::nullopt;
    ExplainedMessage m;
    m.mistake = MistakeKind::FeatureMismatch;
    m.layer_type = "Dense";
    m.stack_types = {"Dense"};
    m.shapes = {*a, *b};
    m.expected = (*b)[0];
    m.actual = (*a)[1];
    m.quantity = "features";
    m.axis = 1;
    m.role = AxisRole::Features;
    m.layer_input = a;
    m.explanation = "A Dense layer built for " + num((*b)[0]) + " features was fed " + num((*a)[1]) +
                    " (axis 1): the model was built on inputs of another shape than the data.";
    m.fixes.push_back("rebuild the model on the data's shape (keras.Input(shape=...)), so the Dense gets " + num((*a)[1]) + " features");
    m.fixes.push_back("or feed data of the shape the model was built with (" + num((*b)[0]) + " features after Flatten)");
    return Reading{m, c.pos()};
}

// Keras 2: "The last dimension of the inputs to a Dense layer should be defined. Found None."
// (keras/layers/core/dense.py); Keras 3: "...of the input shape of a Dense layer should be defined."
std::optional<Reading> read_dense_undefined(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("The last dimension of the")) return std::nullopt;
    if (!c.lit("inputs to a Dense layer") && !c.lit("input shape of a Dense layer")) return std::nullopt;
    if (!c.lit("should be defined. Found None.")) return std::nullopt;
    ExplainedMessage m;
    m.mistake = MistakeKind::DenseWrongAxis;
    m.layer_type = "Dense";
    m.stack_types = {"Dense"};
    m.quantity = "features";
    m.role = AxisRole::Features;
    if (c.lit("Full input shape received:")) {
        if (auto s = c.shape()) {
            m.shapes = {*s};
            m.axis = s->rank() - 1;
        }
    }
    m.explanation = "The Dense layer cannot size its weights: its input's last axis is unknown (None), usually a Flatten after an "
                    "input of any length.";
    m.fixes.push_back("layers.GlobalAveragePooling1D() instead of Flatten() (works for any length)");
    m.fixes.push_back("or a fixed length: keras.Input(shape=(LENGTH, CHANNELS)) and pad the data to it");
    return Reading{m, c.pos()};
}

// "input depth must be evenly divisible by filter depth: 100 vs 5" (tensorflow/core/kernels/conv_ops.cc).
std::optional<Reading> read_tf_depth(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("input depth must be evenly divisible by filter depth:")) return std::nullopt;
    auto in = c.integer();
    if (!in || !c.lit("vs")) return std::nullopt;
    auto f = c.integer();
    if (!f) return std::nullopt;
    ExplainedMessage m;
    m.mistake = MistakeKind::ChannelMismatch;
    m.layer_type = "Conv1D";
    m.stack_types = kConvTypes;
    m.expected = f;
    m.actual = in;
    m.quantity = "channels";
    m.axis = 2;
    m.role = AxisRole::Channels;
    m.explanation = "The Conv1D's kernel was built for " + num(*f) + " channels but the input has " + num(*in) +
                    " on its last axis (channels_last).";
    m.fixes.push_back("if the data is (batch, channels, length): x = np.transpose(x, (0, 2, 1))");
    m.fixes.push_back("or rebuild the model for " + num(*in) + " channels (keras.Input(shape=(LENGTH, " + num(*in) + ")))");
    return Reading{m, c.pos()};
}

// "Can't convert non-rectangular Python sequence to Tensor." (tensorflow/python/framework/constant_op.py).
std::optional<Reading> read_ragged(const FlatText& t, size_t at) {
    Cursor c(t, at);
    if (!c.lit("Can't convert non-rectangular Python sequence to Tensor")) return std::nullopt;
    c.lit(".");
    ExplainedMessage m;
    m.mistake = MistakeKind::RaggedBatch;
    m.layer_type = "model input";
    m.axis = 1;
    m.role = AxisRole::Length;
    m.quantity = "steps";
    m.explanation = "The sequences have different lengths, so they cannot form one (batch, length, channels) tensor.";
    m.fixes.push_back("keras.utils.pad_sequences(x, padding=\"post\", dtype=\"float32\") (pads to the longest)");
    m.fixes.push_back("or convscope-cli pad DATA --out X.npy, and a Masking layer to ignore the padding");
    return Reading{m, c.pos()};
}

const std::array kKeras{
    Recogniser{"keras-axis-value", Framework::Keras, "expected axis ", "Input 0 of layer \"L\" is incompatible with the layer: expected axis A of input shape to have value V, but received input with shape (...)", read_axis_value},
    Recogniser{"keras-ndim", Framework::Keras, "expected min_ndim=", "... expected min_ndim=N, found ndim=M. Full shape received: (...)", read_ndim},
    Recogniser{"keras-ndim", Framework::Keras, "expected ndim=", "... expected ndim=N, found ndim=M. Full shape received: (...)", read_ndim},
    Recogniser{"keras-model-input-shape", Framework::Keras, "expected shape=", "... expected shape=(None, L, C), found shape=(...)", read_model_shape},
    Recogniser{"keras-model-input-shape", Framework::Keras, "model was constructed with shape", "Model was constructed with shape (...) for input ..., but it was called on an input with incompatible shape (...)", read_model_warning},
    Recogniser{"keras-model-input-shape", Framework::Keras, "error when checking input: expected", "Error when checking input: expected X to have shape (...) but got array with shape (...)", read_checking_input},
    Recogniser{"tf-negative-dimension", Framework::Keras, "negative dimension size caused by subtracting", "Negative dimension size caused by subtracting K from L for '...' with input shapes: ...", read_negative_dimension},
    Recogniser{"negative-output-size", Framework::Keras, "computed output size would be negative", "Computed output size would be negative: N [input_size: L, effective_filter_size: K, ...] / Computed output size would be negative. Received `inputs shape=...`", read_negative_output},
    Recogniser{"keras-groups", Framework::Keras, "the number of input channels must be evenly divisible", "The number of input channels must be evenly divisible by the number of groups. Received groups=G, ...", read_groups_channels},
    Recogniser{"keras-groups", Framework::Keras, "the number of filters must be evenly divisible", "The number of filters must be evenly divisible by the number of groups. Received: groups=G, filters=F.", read_groups_filters},
    Recogniser{"keras-reshape-size", Framework::Keras, "total size of new array must be unchanged", "total size of new array must be unchanged, input_shape = [...], output_shape = [...]", read_reshape_k2},
    Recogniser{"keras-reshape-size", Framework::Keras, "the total size of the tensor must be unchanged", "The total size of the tensor must be unchanged. Received: input_shape=(...), target_shape=(...)", read_reshape_k3},
    Recogniser{"tf-reshape-size", Framework::Keras, "input to reshape is a tensor with", "Input to reshape is a tensor with N values, but the requested shape has M", read_tf_reshape},
    Recogniser{"tf-matmul-shape", Framework::Keras, "matrix size-incompatible:", "Matrix size-incompatible: In[0]: [A,B], In[1]: [C,D]", read_tf_matmul},
    Recogniser{"keras-dense-undefined", Framework::Keras, "the last dimension of the input", "The last dimension of the inputs to a Dense layer should be defined. Found None.", read_dense_undefined},
    Recogniser{"tf-conv-depth", Framework::Keras, "input depth must be evenly divisible by filter depth", "input depth must be evenly divisible by filter depth: N vs C", read_tf_depth},
    Recogniser{"ragged-batch", Framework::Keras, "can't convert non-rectangular python sequence", "Can't convert non-rectangular Python sequence to Tensor.", read_ragged},
};

}  // namespace keras_readers
}  // namespace

std::span<const Recogniser> keras_recognisers() { return keras_readers::kKeras; }

}  // namespace convscope::explain
