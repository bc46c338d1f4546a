// export_pytorch: a stack as a runnable nn.Module.
//
// The module reproduces the stack's shapes exactly. Layer sizes come from
// ConvScope's shape trace on the declared input. A channels_last (Keras) stack
// keeps its (batch, length, channels) input contract: the tensor is transposed
// to PyTorch's (batch, channels, length) only around the layers that need it
// (convolutions, pooling, padding, BatchNorm) and back before the layers that
// read the last axis as Keras does (Dense, LayerNorm, Flatten, Reshape,
// Permute) and at the end, so every layer sees what it sees in ConvScope.
#include <map>
#include <set>
#include <sstream>

#include "interop/code_export.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

using namespace codegen;
using layer_support::PaddingSpec;

// Attributes nn.Module already has; a layer named "eval" must not shadow them.
const std::vector<std::string>& module_attributes() {
    static const std::vector<std::string> names{
        "forward",    "training",      "train",         "eval",          "to",           "cuda",
        "cpu",        "type",          "float",         "double",        "half",         "bfloat16",
        "parameters", "named_parameters", "modules",    "named_modules", "children",     "named_children",
        "apply",      "state_dict",    "load_state_dict", "zero_grad",   "buffers",      "named_buffers",
        "register_buffer", "register_parameter", "add_module", "extra_repr", "requires_grad_", "share_memory",
        "get_parameter", "get_submodule", "get_buffer",  "dump_patches", "call_super_init", "register_module"};
    return names;
}


// F.pad's mode argument for a PyTorch padding_mode ("" for zeros, F.pad's default).
std::string pad_mode_arg(const std::string& padding_mode) {
    return padding_mode == "zeros" ? std::string() : ", mode='" + padding_mode + "'";
}

class TorchWriter {
public:
    TorchWriter(const Stack& stack, const ExportInput& input, const Trace& trace)
        : stack_(stack), input_(input), trace_(trace), names_(module_attributes()),
          channels_last_(stack.data_format == DataFormat::ChannelsLast), rank_(input.shape.rank()),
          mask_flow_(mask_flow(stack, trace)) {
        // Every layer's own name is claimed first, so a generated part ("x_depthwise")
        // never takes the name of a later layer.
        for (const auto& l : stack.layers) attrs_.push_back(names_.claim(l.name));
    }

    std::string write() {
        for (size_t i = 0; i < stack_.layers.size(); ++i) {
            index_ = i;
            layer(i);
        }
        if (transposed_) {
            forward_.push_back("x = x.transpose(1, 2)  # back to the stack's (batch, length, channels)");
            transposed_ = false;
        }
        return assemble();
    }

private:
    const TraceStep* step_of(size_t index) const {
        for (const auto& s : trace_.steps)
            if (s.index == static_cast<int64_t>(index)) return &s;
        return nullptr;
    }

    // The tensor as the Python code holds it: the stack's layout, or transposed.
    std::string python_shape(const Shape& stack_shape) const {
        std::vector<int64_t> d = stack_shape.dims;
        if (transposed_ && d.size() == 3) std::swap(d[1], d[2]);
        return python_tuple(d);
    }

    void to_torch_layout() {
        if (channels_last_ && rank_ == 3 && !transposed_) {
            forward_.push_back("x = x.transpose(1, 2)  # to PyTorch's (batch, channels, length)");
            transposed_ = true;
        }
    }
    void to_stack_layout() {
        if (transposed_) {
            forward_.push_back("x = x.transpose(1, 2)  # back to the stack's (batch, length, channels)");
            transposed_ = false;
        }
    }
    // The channel axis of the tensor as held, for softmax and Masking.
    int channel_dim() const {
        if (rank_ != 3) return -1;
        return channels_last_ && !transposed_ ? 2 : 1;
    }

    std::string activation_code(const std::string& act) const {
        if (act == "relu") return "torch.relu(x)";
        if (act == "sigmoid") return "torch.sigmoid(x)";
        if (act == "tanh") return "torch.tanh(x)";
        if (act == "softmax") return "torch.softmax(x, dim=" + std::to_string(channel_dim()) + ")";
        if (act == "gelu") return "F.gelu(x)";
        if (act == "elu") return "F.elu(x)";
        if (act == "selu") return "F.selu(x)";
        if (act == "swish") return "F.silu(x)";
        if (act == "softplus") return "F.softplus(x)";
        if (act == "leaky_relu") return "F.leaky_relu(x, negative_slope=0.2)";  // Keras' default slope
        return {};
    }
    void activation(const std::string& act) {
        if (const auto code = activation_code(act); !code.empty()) forward_.push_back("x = " + code);
    }

    // Input channels: the declared in_channels first (the stack is exported as
    // written), else what the trace saw; nullopt when neither is known.
    std::optional<int64_t> in_channels(const Params& p, const TraceStep* step, std::string_view declared_field) const {
        if (!declared_field.empty())
            if (auto d = p.oi(declared_field)) return d;
        if (step && step->in && step->in->rank() == 3)
            return step->in->shape[layer_support::channels_axis(stack_.data_format)];
        return std::nullopt;
    }
    std::optional<int64_t> last_dim(const Params& p, const TraceStep* step, std::string_view declared_field) const {
        if (auto d = p.oi(declared_field)) return d;
        if (step && step->in && step->in->rank() >= 1) return step->in->shape.dims.back();
        return std::nullopt;
    }

    // How a convolution's padding is expressed: constructor argument, or an F.pad before it.
    struct ConvPadding {
        std::string ctor;        // ", padding='same'" / ", padding=2" / ""
        std::string pre_pad;     // "x = F.pad(...)" or ""
        bool ctor_pads = false;  // padding_mode belongs in the constructor
    };
    ConvPadding conv_padding(const PaddingSpec& pad, int64_t extent, int64_t stride, const std::string& mode) {
        ConvPadding r;
        switch (pad.mode) {
            case PaddingSpec::Mode::Valid: break;
            case PaddingSpec::Mode::Same:
                if (stride == 1) {
                    r.ctor = ", padding='same'";
                    r.ctor_pads = true;
                } else {  // PyTorch's 'same' refuses strides; pad as TensorFlow does for this length
                    helpers_.insert("keras_same_padding");
                    r.pre_pad = "x = F.pad(x, keras_same_padding(x.shape[-1], " + std::to_string(extent) + ", " +
                                std::to_string(stride) + ")" + pad_mode_arg(mode) + ")";
                }
                break;
            case PaddingSpec::Mode::Causal:
                r.pre_pad = "x = F.pad(x, (" + std::to_string(extent - 1) + ", 0)" + pad_mode_arg(mode) +
                            ")  # causal: only the past is padded";
                break;
            case PaddingSpec::Mode::Explicit:
                if (pad.left == pad.right) {
                    if (pad.left > 0) {
                        r.ctor = ", padding=" + std::to_string(pad.left);
                        r.ctor_pads = true;
                    }
                } else {
                    r.pre_pad = "x = F.pad(x, (" + std::to_string(pad.left) + ", " + std::to_string(pad.right) + ")" +
                                pad_mode_arg(mode) + ")  # nn.Conv1d pads both sides equally";
                }
                break;
        }
        if (r.ctor_pads && mode != "zeros") r.ctor += ", padding_mode='" + mode + "'";
        return r;
    }

    static std::string conv_args(int64_t k, int64_t s, const std::string& padding, int64_t d, int64_t g, bool bias,
                                 const std::string& tail = "") {
        std::string a = "kernel_size=" + std::to_string(k);
        if (s != 1) a += ", stride=" + std::to_string(s);
        a += padding;
        if (d != 1) a += ", dilation=" + std::to_string(d);
        if (g != 1) a += ", groups=" + std::to_string(g);
        if (!bias) a += ", bias=False";
        return a + tail;
    }

    void unknown_channels_note(const std::string& attr) {
        init_.push_back("# NOTE: " + attr + ": its input channels are unknown (the trace stops before it); 1 assumed");
    }

    void layer(size_t index) {
        const LayerSpec& spec = stack_.layers[index];
        const LayerKind* kind = find_layer_kind(spec.type);
        const std::string label = spec.name + " (" + spec.type + ")";
        if (!spec.enabled) {
            init_.push_back("# " + label + " is disabled in the stack and left out");
            forward_.push_back("# " + label + " is disabled in the stack and left out");
            return;
        }
        if (!kind) {
            init_.push_back("# NOTE: " + label + ": unknown layer type, left out");
            return;
        }
        const Params p{spec, kind->params()};
        const TraceStep* step = step_of(index);
        const std::string t = spec.type;
        const size_t forward_before = forward_.size();

        if (t == "Conv1D" || t == "DepthwiseConv1D" || t == "SeparableConv1D") conv(p, step);
        else if (t == "Conv1DTranspose") conv_transpose(p, step);
        else if (t == "MaxPooling1D" || t == "AveragePooling1D") pool(p, t == "MaxPooling1D");
        else if (t == "GlobalMaxPooling1D" || t == "GlobalAveragePooling1D") {
            to_torch_layout();
            const std::string keep = p.b("keepdims") ? ", keepdim=True" : "";
            if (mask_flow_.consumes(index)) {
                // Keras pools over the real steps only: the mask (1 on real steps) as (batch, 1, length).
                forward_.push_back("m = mask.reshape(x.shape[0], 1, -1).to(x.dtype)  # the Keras mask, (batch, 1, length)");
                forward_.push_back(t == "GlobalMaxPooling1D"
                                       ? "x = x.masked_fill(m == 0, float('-inf')).amax(dim=2" + keep +
                                             ")  # max over the real steps, as Keras"
                                       : "x = (x * m).sum(dim=2" + keep + ") / m.sum(dim=2" + keep +
                                             ").clamp(min=1)  # mean over the real steps, as Keras");
            } else {
                forward_.push_back(std::string("x = x.") + (t == "GlobalMaxPooling1D" ? "amax" : "mean") + "(dim=2" +
                                   keep + ")  # over the length axis");
            }
        } else if (t == "ZeroPadding1D") {
            to_torch_layout();
            const auto pad = p.padding();
            forward_.push_back("x = F.pad(x, (" + std::to_string(pad.left) + ", " + std::to_string(pad.right) + "))");
        } else if (t == "Cropping1D") {
            to_torch_layout();
            const auto crop = p.padding("cropping");
            forward_.push_back("x = x[:, :, " + std::to_string(crop.left) + ":" +
                               (crop.right > 0 ? "-" + std::to_string(crop.right) : std::string()) + "]");
        } else if (t == "UpSampling1D") {
            to_torch_layout();
            forward_.push_back("x = x.repeat_interleave(" + std::to_string(p.i("size")) + ", dim=2)");
        } else if (t == "Masking") masking(p, spec);
        else if (t == "Permute") {
            to_stack_layout();
            std::string order = "0";
            for (auto d : p.list("dims")) order += ", " + std::to_string(d);
            forward_.push_back("x = x.permute(" + order + ")");
        } else if (t == "Reshape") {
            to_stack_layout();
            std::string dims = "x.shape[0]";
            for (auto d : p.list("target_shape")) dims += ", " + std::to_string(d);
            forward_.push_back("x = x.reshape(" + dims + ")");
        } else if (t == "Flatten") {
            to_stack_layout();
            const std::string& attr = attrs_[index_];
            init_.push_back("self." + attr + " = nn.Flatten()");
            forward_.push_back("x = self." + attr + "(x)");
        } else if (t == "Dense") {
            to_stack_layout();
            const std::string& attr = attrs_[index_];
            const auto features = last_dim(p, step, "in_features");
            const std::string bias = p.b("use_bias") ? "" : ", bias=False";
            const std::string units = std::to_string(p.i("units"));
            init_.push_back("self." + attr + " = " +
                            (features ? "nn.Linear(" + std::to_string(*features) + ", " + units + bias + ")"
                                      : "nn.LazyLinear(" + units + bias + ")  # in_features unknown: set on the first call"));
            forward_.push_back("x = self." + attr + "(x)");
            activation(p.s("activation"));
        } else if (t == "Activation") {
            const std::string act = p.s("activation");
            if (act == "linear") forward_.push_back("# " + spec.name + ": linear activation, nothing to do");
            else activation(act);
        } else if (t == "Dropout") {
            const std::string& attr = attrs_[index_];
            init_.push_back("self." + attr + " = nn.Dropout(" + python_float(p.f("rate")) + ")");
            forward_.push_back("x = self." + attr + "(x)");
        } else if (t == "BatchNormalization") batch_norm(p, step, spec);
        else if (t == "LayerNormalization") layer_norm(p, step, spec);
        else init_.push_back("# NOTE: " + label + " has no PyTorch export yet; left out");

        // Rank after the layer: the trace's when it got this far, else the layer's rule.
        if (step && step->out) rank_ = step->out->rank();
        else if (t == "Flatten") rank_ = 2;
        else if ((t == "GlobalMaxPooling1D" || t == "GlobalAveragePooling1D") && !p.b("keepdims")) rank_ = 2;
        else if (t == "Reshape") rank_ = static_cast<int64_t>(p.list("target_shape").size()) + 1;
        if (rank_ != 3 && transposed_) transposed_ = false;  // a 2-D tensor has no layout to undo

        // The shape the tensor has here, on the layer's last forward line.
        if (forward_.size() > forward_before) {
            std::string note = spec.name + ": " + (step && step->out ? python_shape(step->out->shape) : std::string("?"));
            auto& last = forward_.back();
            last += last.find("  # ") == std::string::npos ? "  # " + note : "; " + note;
        }
    }

    void conv(const Params& p, const TraceStep* step) {
        const std::string& t = p.spec.type;
        to_torch_layout();
        const int64_t k = p.i("kernel_size"), s = p.i("strides"), d = p.i("dilation_rate");
        const bool bias = p.b("use_bias");
        const std::string mode = t == "SeparableConv1D" ? "zeros" : p.s("padding_mode");
        const auto pad = conv_padding(p.padding(), layer_support::dilated_extent(k, d), s, mode);
        auto cin = in_channels(p, step, "in_channels");
        if (!pad.pre_pad.empty()) forward_.push_back(pad.pre_pad);
        if (t == "Conv1D") {
            const std::string& attr = attrs_[index_];
            const std::string args = conv_args(k, s, pad.ctor, d, p.i("groups"), bias);
            init_.push_back("self." + attr + " = " +
                            (cin ? "nn.Conv1d(" + std::to_string(*cin) + ", " + std::to_string(p.i("filters")) + ", " + args + ")"
                                 : "nn.LazyConv1d(" + std::to_string(p.i("filters")) + ", " + args +
                                       ")  # in_channels unknown: set on the first call"));
            forward_.push_back("x = self." + attr + "(x)");
        } else {
            if (!cin) unknown_channels_note(p.spec.name);
            const int64_t c = cin.value_or(1), dm = p.i("depth_multiplier");
            const std::string depthwise = "nn.Conv1d(" + std::to_string(c) + ", " + std::to_string(c * dm) + ", ";
            if (t == "DepthwiseConv1D") {
                const std::string& attr = attrs_[index_];
                init_.push_back("self." + attr + " = " + depthwise + conv_args(k, s, pad.ctor, d, c, bias) + ")");
                forward_.push_back("x = self." + attr + "(x)");
            } else {  // SeparableConv1D: Keras' depthwise step has no bias; the pointwise one does
                const std::string dw = names_.claim(p.spec.name + "_depthwise");
                const std::string pw = names_.claim(p.spec.name + "_pointwise");
                init_.push_back("self." + dw + " = " + depthwise + conv_args(k, s, pad.ctor, d, c, false) + ")");
                init_.push_back("self." + pw + " = nn.Conv1d(" + std::to_string(c * dm) + ", " +
                                std::to_string(p.i("filters")) + ", kernel_size=1" + (bias ? "" : ", bias=False") + ")");
                forward_.push_back("x = self." + pw + "(self." + dw + "(x))");
            }
        }
        activation(p.s("activation"));
    }

    void conv_transpose(const Params& p, const TraceStep* step) {
        to_torch_layout();
        const int64_t k = p.i("kernel_size"), s = p.i("strides"), d = p.i("dilation_rate");
        const int64_t extent = layer_support::dilated_extent(k, d);
        const auto pad = p.padding();
        const auto op = p.oi("output_padding");
        // PyTorch: L_out = (L - 1)*s - 2*padding + extent + output_padding; ConvScope's rule
        // (Keras' for 'valid'/'same') is met with these two arguments and a crop.
        int64_t padding = 0, output_padding = op.value_or(0), crop_left = 0, crop_right = 0;
        if (pad.mode == PaddingSpec::Mode::Explicit) {
            if (pad.left == pad.right) padding = pad.left;
            else crop_left = pad.left, crop_right = pad.right;
        } else if (op) {
            padding = pad.mode == PaddingSpec::Mode::Same ? extent / 2 : 0;
        } else if (pad.mode == PaddingSpec::Mode::Same) {  // Keras: L*s
            if (extent < s) output_padding = s - extent;
            const int64_t total = std::max<int64_t>(extent - s, 0);
            crop_left = total / 2;
            crop_right = total - crop_left;
        } else {  // Keras 'valid': L*s + max(extent - s, 0)
            output_padding = std::max<int64_t>(s - extent, 0);
        }
        std::string extra;
        if (padding) extra += ", padding=" + std::to_string(padding);
        if (output_padding) extra += ", output_padding=" + std::to_string(output_padding);
        const int64_t g = p.i("groups");
        std::string args = "kernel_size=" + std::to_string(k);
        if (s != 1) args += ", stride=" + std::to_string(s);
        args += extra;
        if (g != 1) args += ", groups=" + std::to_string(g);
        if (!p.b("use_bias")) args += ", bias=False";
        if (d != 1) args += ", dilation=" + std::to_string(d);
        const auto cin = in_channels(p, step, "in_channels");
        const std::string& attr = attrs_[index_];
        const std::string filters = std::to_string(p.i("filters"));
        init_.push_back("self." + attr + " = " +
                        (cin ? "nn.ConvTranspose1d(" + std::to_string(*cin) + ", " + filters + ", " + args + ")"
                             : "nn.LazyConvTranspose1d(" + filters + ", " + args +
                                   ")  # in_channels unknown: set on the first call"));
        forward_.push_back("x = self." + attr + "(x)");
        if (crop_left || crop_right)
            forward_.push_back("x = x[:, :, " + std::to_string(crop_left) + ":" +
                               (crop_right ? "-" + std::to_string(crop_right) : std::string()) + "]  # " +
                               (pad.mode == PaddingSpec::Mode::Same ? "Keras 'same' crops the full output to L*strides"
                                                                    : "uneven [left, right] padding, as a crop"));
        activation(p.s("activation"));
    }

    void pool(const Params& p, bool is_max) {
        to_torch_layout();
        const int64_t k = p.i("pool_size");
        const int64_t s = p.oi("strides").value_or(k);
        const int64_t d = is_max ? p.i("dilation_rate") : 1;
        const bool ceil = p.b("ceil_mode");
        const bool include_pad = is_max || p.b("count_include_pad");
        const auto pad = p.padding();
        auto module = [&](int64_t padding, bool count_include_pad) {
            std::string a = std::to_string(k);
            if (s != k) a += ", stride=" + std::to_string(s);
            if (padding) a += ", padding=" + std::to_string(padding);
            if (d != 1) a += ", dilation=" + std::to_string(d);
            if (ceil) a += ", ceil_mode=True";
            if (!count_include_pad && padding) a += ", count_include_pad=False";
            const std::string& attr = attrs_[index_];
            init_.push_back("self." + attr + " = nn." + (is_max ? "MaxPool1d(" : "AvgPool1d(") + a + ")");
            forward_.push_back("x = self." + attr + "(x)");
        };
        const std::string extent = std::to_string(layer_support::dilated_extent(k, d));
        switch (pad.mode) {
            case PaddingSpec::Mode::Valid:
            case PaddingSpec::Mode::Causal: module(0, true); break;
            case PaddingSpec::Mode::Same:
                if (is_max) {  // TensorFlow's padded steps never win the max
                    forward_.push_back("x = F.pad(x, keras_same_padding(x.shape[-1], " + extent + ", " +
                                       std::to_string(s) + "), value=float('-inf'))");
                    module(0, true);
                } else {  // Keras averages only the real steps of each window
                    helpers_.insert("masked_avg_pool1d");
                    forward_.push_back("x = masked_avg_pool1d(x, " + std::to_string(k) + ", " + std::to_string(s) +
                                       ", keras_same_padding(x.shape[-1], " + extent + ", " + std::to_string(s) + "))");
                }
                helpers_.insert("keras_same_padding");
                break;
            case PaddingSpec::Mode::Explicit:
                if (pad.left == pad.right) {
                    module(pad.left, include_pad);
                } else if (is_max || include_pad) {
                    forward_.push_back("x = F.pad(x, (" + std::to_string(pad.left) + ", " + std::to_string(pad.right) +
                                       ")" + (is_max ? ", value=float('-inf')" : "") +
                                       ")  # PyTorch pools pad both sides equally");
                    module(0, true);
                } else {
                    helpers_.insert("masked_avg_pool1d");
                    forward_.push_back("x = masked_avg_pool1d(x, " + std::to_string(k) + ", " + std::to_string(s) +
                                       ", (" + std::to_string(pad.left) + ", " + std::to_string(pad.right) + "))");
                }
                break;
        }
    }

    void masking(const Params& p, const LayerSpec& spec) {
        const std::string value = python_float(p.f("mask_value"));
        forward_.push_back("# " + spec.name + ": Keras' Masking marks steps whose every channel equals " + value +
                           " and later Keras layers skip them.");
        forward_.push_back("# PyTorch has no mask propagation: the masked steps are zeroed here instead.");
        forward_.push_back("mask = (x != " + value + ").any(dim=" + std::to_string(channel_dim()) + ", keepdim=True)");
        forward_.push_back("x = x * mask");
    }

    void batch_norm(const Params& p, const TraceStep* step, const LayerSpec& spec) {
        if (rank_ == 3) to_torch_layout();
        else to_stack_layout();
        std::optional<int64_t> c = p.oi("num_features");
        if (!c && step && step->in)
            c = step->in->rank() == 3 ? step->in->shape[layer_support::channels_axis(stack_.data_format)]
                                      : step->in->shape.dims.back();
        const bool center = p.b("center"), scale = p.b("scale");
        std::string args = ", eps=" + python_float(p.f("epsilon")) + ", momentum=" + python_float(1.0 - p.f("momentum"));
        if (!center && !scale) args += ", affine=False";
        const std::string& attr = attrs_[index_];
        if (center != scale)
            init_.push_back("# NOTE: " + spec.name + " learns only " + (center ? "the offset" : "the scale") +
                            " in Keras; nn.BatchNorm1d learns both or neither");
        init_.push_back("self." + attr + " = " +
                        (c ? "nn.BatchNorm1d(" + std::to_string(*c) + args + ")"
                           : "nn.LazyBatchNorm1d(" + args.substr(2) + ")  # num_features unknown: set on the first call") +
                        "  # momentum = 1 - Keras' " + python_float(p.f("momentum")));
        forward_.push_back("x = self." + attr + "(x)");
    }

    void layer_norm(const Params& p, const TraceStep* step, const LayerSpec& spec) {
        to_stack_layout();  // Keras and ConvScope normalise the last axis of the stack's layout
        const auto size = last_dim(p, step, "normalized_shape");
        const bool center = p.b("center"), scale = p.b("scale");
        const std::string eps = python_float(p.f("epsilon"));
        if (!size) {
            forward_.push_back("x = F.layer_norm(x, x.shape[-1:], eps=" + eps +
                               ")  # NOTE: size unknown (the trace stops before it); no learned scale or offset");
            return;
        }
        if (center != scale)
            init_.push_back("# NOTE: " + spec.name + " learns only " + (center ? "the offset" : "the scale") +
                            " in Keras; nn.LayerNorm learns both or neither");
        const std::string& attr = attrs_[index_];
        init_.push_back("self." + attr + " = nn.LayerNorm(" + std::to_string(*size) + ", eps=" + eps +
                        (!center && !scale ? ", elementwise_affine=False" : "") + ")");
        forward_.push_back("x = self." + attr + "(x)");
    }

    std::string assemble() const {
        std::ostringstream out;
        for (const auto& l : comment_lines("Generated by ConvScope from the stack " +
                                           (stack_.name.empty() ? std::string("(unnamed)") : "\"" + stack_.name + "\"") +
                                           ": a PyTorch nn.Module with the stack's shapes."))
            out << l << "\n";
        for (const auto& l : comment_lines(stack_.description)) if (l != "#") out << l << "\n";
        for (const auto& l : trace_comment(stack_, input_, trace_)) out << l << "\n";
        if (channels_last_)
            for (const auto& l : comment_lines("The model keeps the Keras input contract (batch, length, channels): "
                                               "forward() transposes to PyTorch's (batch, channels, length) around "
                                               "the layers that need it and returns the stack's layout."))
                out << l << "\n";
        out << "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";
        out << "INPUT_SHAPE = " << python_tuple(input_.shape.dims) << "\n\n";
        if (helpers_.count("keras_same_padding"))
            out << "\ndef keras_same_padding(length, extent, stride):\n"
                   "    \"\"\"Keras/TensorFlow 'same': ceil(length / stride) outputs, the odd padding step on the "
                   "right.\"\"\"\n"
                   "    out_length = -(-length // stride)\n"
                   "    total = max((out_length - 1) * stride + extent - length, 0)\n"
                   "    return (total // 2, total - total // 2)\n\n";
        if (helpers_.count("masked_avg_pool1d"))
            out << "\ndef masked_avg_pool1d(x, pool_size, stride, padding):\n"
                   "    \"\"\"Average over the real steps of each window only (Keras 'same' pooling,\n"
                   "    count_include_pad=False): window sums divided by how many real steps each window holds.\"\"\"\n"
                   "    sums = F.avg_pool1d(F.pad(x, padding), pool_size, stride)\n"
                   "    counts = F.avg_pool1d(F.pad(torch.ones_like(x[:, :1, :]), padding), pool_size, stride)\n"
                   "    return sums / counts\n\n";
        const std::string cls = python_class_name(stack_.name);
        out << "\nclass " << cls << "(nn.Module):\n";
        out << "    def __init__(self):\n        super().__init__()\n";
        for (const auto& l : init_) out << "        " << l << "\n";
        out << "\n    def forward(self, x):\n";
        out << "        # x: " << python_tuple(input_.shape.dims) << " "
            << (channels_last_ ? "(batch, length, channels)" : "(batch, channels, length)") << "\n";
        for (const auto& l : forward_) out << "        " << l << "\n";
        out << "        return x\n\n\n";
        out << "if __name__ == \"__main__\":\n"
               "    torch.manual_seed(0)\n"
               "    model = "
            << cls
            << "()\n"
               "    model.eval()  # BatchNorm and Dropout in inference mode, so a batch of one works\n"
               "    with torch.no_grad():\n"
               "        y = model(torch.randn(INPUT_SHAPE))\n"
               "    print(tuple(y.shape))\n";
        return out.str();
    }

    const Stack& stack_;
    const ExportInput& input_;
    const Trace& trace_;
    NameTable names_;
    bool channels_last_;
    int64_t rank_;
    bool transposed_ = false;
    std::vector<std::string> attrs_;  // per layer: its attribute name
    size_t index_ = 0;                // the layer being written
    std::vector<std::string> init_, forward_;
    std::set<std::string> helpers_;
    MaskFlow mask_flow_;
};

}  // namespace

std::string export_pytorch(const Stack& stack, const ExportData& data) {
    const ExportInput input = resolve_export_input(stack, data);
    const Trace trace = export_trace(stack, input.shape);
    return TorchWriter(stack, input, trace).write();
}

}  // namespace convscope
