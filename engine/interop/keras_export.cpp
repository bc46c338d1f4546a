// export_keras: a stack as a runnable Keras model builder.
//
// A functional model rather than Sequential, so helper layers (ZeroPadding1D
// for PyTorch's explicit padding, Permutes around layers that know only
// channels_last) sit between the stack's layers without renaming them.
// Features with no Keras equivalent are kept out of the model with a `# NOTE:`
// saying what differs; shapes still follow the stack wherever Keras allows.
#include <sstream>

#include "interop/code_export.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

using namespace codegen;
using layer_support::PaddingSpec;


std::string pair_text(int64_t l, int64_t r) { return "(" + std::to_string(l) + ", " + std::to_string(r) + ")"; }

class KerasWriter {
public:
    KerasWriter(const Stack& stack, const ExportInput& input, const Trace& trace)
        : stack_(stack), input_(input), trace_(trace), names_({"inputs", "x"}),
          channels_first_(stack.data_format == DataFormat::ChannelsFirst) {
        for (const auto& l : stack.layers) layer_names_.push_back(names_.claim(l.name));
    }

    std::string write() {
        for (size_t i = 0; i < stack_.layers.size(); ++i) {
            index_ = i;
            layer(stack_.layers[i]);
        }
        return assemble();
    }

private:
    const TraceStep* step_of(size_t index) const {
        for (const auto& s : trace_.steps)
            if (s.index == static_cast<int64_t>(index)) return &s;
        return nullptr;
    }
    // Rank of the layer's input: the trace's, or a sequence batch when the trace stopped earlier.
    int64_t input_rank() const {
        const TraceStep* step = step_of(index_);
        return step && step->in ? step->in->rank() : 3;
    }

    void call(const std::string& layer_expr) { body_.push_back("x = " + layer_expr + "(x)"); }
    void note(const std::string& text) {
        for (auto& l : comment_lines("NOTE: " + text)) body_.push_back(std::move(l));
    }
    std::string name_arg() const { return "name=" + python_string(layer_names_[index_]); }
    std::string helper_name(const std::string& suffix) { return python_string(names_.claim(stack_.layers[index_].name + suffix)); }

    // Layers Keras only runs on (batch, length, channels): wrapped in Permutes for a channels_first stack.
    // `expr` is the layer's constructor up to its name argument, e.g. "layers.Cropping1D((1, 2), ".
    void channels_last_only(const std::string& expr, const std::string& name) {
        if (channels_first_) {
            body_.push_back("# Keras' " + expr.substr(7, expr.find('(') - 7) +
                            " reads (batch, length, channels): permute around it");
            call("layers.Permute((2, 1), name=" + helper_name("_to_channels_last") + ")");
        }
        call(expr + name + ")");
        if (channels_first_) call("layers.Permute((2, 1), name=" + helper_name("_to_channels_first") + ")");
    }
    void zero_padding(int64_t left, int64_t right) {
        if (left == 0 && right == 0) return;
        channels_last_only("layers.ZeroPadding1D(" + pair_text(left, right) + ", ", "name=" + helper_name("_pad"));
    }

    std::string data_format_arg() const { return channels_first_ ? ", data_format=\"channels_first\"" : ""; }
    static std::string activation_arg(const Params& p) {
        const std::string a = p.s("activation");
        return a == "linear" ? "" : ", activation=" + python_string(a);
    }

    void layer(const LayerSpec& spec) {
        const std::string label = spec.name + " (" + spec.type + ")";
        if (!spec.enabled) {
            body_.push_back("# " + label + " is disabled in the stack and left out");
            return;
        }
        const LayerKind* kind = find_layer_kind(spec.type);
        if (!kind) {
            note(label + ": unknown layer type, left out");
            return;
        }
        if (layer_names_[index_] != spec.name)
            body_.push_back("# layer " + python_string(spec.name) + " is named " + layer_names_[index_] +
                            " here: generated names are Python identifiers");
        const Params p{spec, kind->params()};
        const std::string& t = spec.type;
        if (t == "Conv1D" || t == "DepthwiseConv1D" || t == "SeparableConv1D") conv(p);
        else if (t == "Conv1DTranspose") conv_transpose(p);
        else if (t == "MaxPooling1D" || t == "AveragePooling1D") pool(p, t == "MaxPooling1D");
        else if (t == "GlobalMaxPooling1D" || t == "GlobalAveragePooling1D")
            call("layers." + t + "(" + (p.b("keepdims") ? "keepdims=True, " : "") +
                 (channels_first_ ? "data_format=\"channels_first\", " : "") + name_arg() + ")");
        else if (t == "ZeroPadding1D") {
            const auto pad = p.padding();
            channels_last_only("layers.ZeroPadding1D(" + pair_text(pad.left, pad.right) + ", ", name_arg());
        } else if (t == "Cropping1D") {
            const auto crop = p.padding("cropping");
            channels_last_only("layers.Cropping1D(" + pair_text(crop.left, crop.right) + ", ", name_arg());
        } else if (t == "UpSampling1D")
            channels_last_only("layers.UpSampling1D(" + std::to_string(p.i("size")) + ", ", name_arg());
        else if (t == "Masking") {
            if (channels_first_)
                note(spec.name + ": Keras' Masking compares the last axis, which is the length in this channels_first "
                                 "stack; transpose to channels_last if the mask should cover channels.");
            call("layers.Masking(mask_value=" + python_float(p.f("mask_value")) + ", " + name_arg() + ")");
        } else if (t == "Permute") {
            std::vector<int64_t> dims = p.list("dims");
            call("layers.Permute(" + python_tuple(dims) + ", " + name_arg() + ")");
        } else if (t == "Reshape")
            call("layers.Reshape(" + python_tuple(p.list("target_shape")) + ", " + name_arg() + ")");
        else if (t == "Flatten") call("layers.Flatten(" + name_arg() + ")");
        else if (t == "Dense") {
            call("layers.Dense(" + std::to_string(p.i("units")) + activation_arg(p) +
                 (p.b("use_bias") ? "" : ", use_bias=False") + ", " + name_arg() + ")");
        } else if (t == "Activation")
            call("layers.Activation(" + python_string(p.s("activation")) + ", " + name_arg() + ")");
        else if (t == "Dropout") call("layers.Dropout(" + python_float(p.f("rate")) + ", " + name_arg() + ")");
        else if (t == "BatchNormalization") {
            std::string args;
            if (channels_first_ && input_rank() == 3) args += "axis=1, ";
            if (!p.is_default("momentum")) args += "momentum=" + python_float(p.f("momentum")) + ", ";
            if (!p.is_default("epsilon")) args += "epsilon=" + python_float(p.f("epsilon")) + ", ";
            if (!p.b("center")) args += "center=False, ";
            if (!p.b("scale")) args += "scale=False, ";
            call("layers.BatchNormalization(" + args + name_arg() + ")");
        } else if (t == "LayerNormalization") {
            std::string args;
            if (!p.is_default("epsilon")) args += "epsilon=" + python_float(p.f("epsilon")) + ", ";
            if (!p.b("center")) args += "center=False, ";
            if (!p.b("scale")) args += "scale=False, ";
            call("layers.LayerNormalization(" + args + name_arg() + ")");
        } else {
            note(label + " has no Keras export yet; left out");
        }
    }

    // Padding Keras cannot express on the layer itself becomes a ZeroPadding1D before it.
    std::string conv_padding(const Params& p, int64_t extent) {
        const auto pad = p.padding();
        const std::string& t = p.spec.type;
        if (t != "SeparableConv1D" && p.s("padding_mode") != "zeros" && pad.mode != PaddingSpec::Mode::Valid)
            note(p.spec.name + ": padding_mode=" + python_string(p.s("padding_mode")) +
                 " (PyTorch) has no Keras equivalent; Keras pads with zeros (shapes are the same).");
        switch (pad.mode) {
            case PaddingSpec::Mode::Valid: return "";
            case PaddingSpec::Mode::Same: return ", padding=\"same\"";
            case PaddingSpec::Mode::Causal:
                if (t == "Conv1D") return ", padding=\"causal\"";
                zero_padding(extent - 1, 0);  // Keras allows 'causal' on Conv1D only
                return "";
            case PaddingSpec::Mode::Explicit:
                zero_padding(pad.left, pad.right);
                return "";
        }
        return "";
    }

    void conv(const Params& p) {
        const std::string& t = p.spec.type;
        const int64_t k = p.i("kernel_size"), s = p.i("strides"), d = p.i("dilation_rate");
        std::string args = t == "DepthwiseConv1D" ? std::to_string(k) : std::to_string(p.i("filters")) + ", " + std::to_string(k);
        if (s != 1) args += ", strides=" + std::to_string(s);
        args += conv_padding(p, layer_support::dilated_extent(k, d));
        args += data_format_arg();
        if (d != 1) args += ", dilation_rate=" + std::to_string(d);
        if (t == "Conv1D" && p.i("groups") != 1) args += ", groups=" + std::to_string(p.i("groups"));
        if (t != "Conv1D" && p.i("depth_multiplier") != 1) args += ", depth_multiplier=" + std::to_string(p.i("depth_multiplier"));
        args += activation_arg(p);
        if (!p.b("use_bias")) args += ", use_bias=False";
        call("layers." + t + "(" + args + ", " + name_arg() + ")");
    }

    void conv_transpose(const Params& p) {
        const int64_t k = p.i("kernel_size"), s = p.i("strides"), d = p.i("dilation_rate");
        const auto pad = p.padding();
        auto op = p.oi("output_padding");
        std::string args = std::to_string(p.i("filters")) + ", " + std::to_string(k);
        if (s != 1) args += ", strides=" + std::to_string(s);
        if (pad.mode == PaddingSpec::Mode::Same) args += ", padding=\"same\"";
        // PyTorch's explicit padding crops the full output: 'valid' with output_padding
        // set gives (L - 1)*s + extent + output_padding, then a Cropping1D.
        if (pad.mode == PaddingSpec::Mode::Explicit) op = op.value_or(0);
        if (op) args += ", output_padding=" + std::to_string(*op);
        args += data_format_arg();
        if (d != 1) args += ", dilation_rate=" + std::to_string(d);
        args += activation_arg(p);
        if (!p.b("use_bias")) args += ", use_bias=False";
        if (p.i("groups") != 1)
            note(p.spec.name + ": groups=" + std::to_string(p.i("groups")) +
                 " (PyTorch) has no Keras equivalent; the Keras layer connects every channel (same shapes, more weights).");
        call("layers.Conv1DTranspose(" + args + ", " + name_arg() + ")");
        if (pad.mode == PaddingSpec::Mode::Explicit && (pad.left || pad.right))
            channels_last_only("layers.Cropping1D(" + pair_text(pad.left, pad.right) + ", ", "name=" + helper_name("_crop"));
    }

    void pool(const Params& p, bool is_max) {
        const int64_t k = p.i("pool_size");
        const auto strides = p.oi("strides");
        const auto pad = p.padding();
        if (p.b("ceil_mode"))
            note(p.spec.name + ": ceil_mode (PyTorch) has no Keras equivalent; Keras drops the last partial window, "
                               "so the output may be one step shorter.");
        if (is_max && p.i("dilation_rate") != 1)
            note(p.spec.name + ": dilation_rate=" + std::to_string(p.i("dilation_rate")) +
                 " (PyTorch MaxPool1d) has no Keras equivalent; the Keras pool reads contiguous windows.");
        std::string args = std::to_string(k);
        if (strides && *strides != k) args += ", strides=" + std::to_string(*strides);
        if (pad.mode == PaddingSpec::Mode::Same) args += ", padding=\"same\"";
        if (pad.mode == PaddingSpec::Mode::Explicit && (pad.left || pad.right)) {
            if (is_max)
                note(p.spec.name + ": PyTorch pads max pooling with -inf; Keras' ZeroPadding1D pads with zeros, which can "
                                   "win the max of an all-negative window.");
            else if (!p.b("count_include_pad"))
                note(p.spec.name + ": count_include_pad=False (PyTorch) has no Keras equivalent; the padded zeros are "
                                   "counted in the average.");
            zero_padding(pad.left, pad.right);
        }
        args += data_format_arg();
        call(std::string("layers.") + (is_max ? "MaxPooling1D(" : "AveragePooling1D(") + args + ", " + name_arg() + ")");
    }

    std::string assemble() const {
        std::ostringstream out;
        for (const auto& l : comment_lines("Generated by ConvScope from the stack " +
                                           (stack_.name.empty() ? std::string("(unnamed)") : "\"" + stack_.name + "\"") +
                                           ": a Keras model builder with the stack's layers, names and parameters."))
            out << l << "\n";
        for (const auto& l : comment_lines(stack_.description))
            if (l != "#") out << l << "\n";
        for (const auto& l : trace_comment(stack_, input_, trace_)) out << l << "\n";
        if (channels_first_)
            for (const auto& l : comment_lines(
                     "NOTE: the stack is channels_first (PyTorch's layout): layers that take data_format get "
                     "\"channels_first\", the others are wrapped in Permutes. TensorFlow runs some channels_first "
                     "convolutions on GPU only; export the channels_last version of the stack if yours refuses."))
                out << l << "\n";
        out << "import numpy as np\nimport keras\nfrom keras import layers\n\n";
        out << "INPUT_SHAPE = " << python_tuple(input_.shape.dims) << "\n\n\n";
        // keras.Input takes the shape without the batch axis; open dimensions stay open.
        std::vector<int64_t> input_dims;
        const Shape declared = stack_.input_shape ? *stack_.input_shape : input_.shape;
        for (int64_t a = 1; a < input_.shape.rank(); ++a) {
            const bool open = a < declared.rank() && declared[a] == kAnyDim;
            const bool channels = input_.shape.rank() == 3 && a == layer_support::channels_axis(stack_.data_format);
            // Keras needs the channel count to build its first layer; the resolved one is used when open.
            input_dims.push_back(open && !channels ? kAnyDim : input_.shape[a]);
        }
        if (!stack_.input_shape && input_.shape.rank() == 3)
            input_dims[static_cast<size_t>(layer_support::length_axis(stack_.data_format) - 1)] = kAnyDim;
        out << "def build_model():\n";
        out << "    inputs = keras.Input(shape=" << python_tuple(input_dims) << ", name=\"inputs\")\n";
        out << "    x = inputs\n";
        for (const auto& l : body_) out << "    " << l << "\n";
        out << "    return keras.Model(inputs, x, name=" << python_string(python_identifier(
                                                              stack_.name.empty() ? "convscope_model" : stack_.name))
            << ")\n\n\n";
        out << "if __name__ == \"__main__\":\n"
               "    model = build_model()\n"
               "    model.summary()\n"
               "    y = model(np.random.rand(*INPUT_SHAPE).astype(\"float32\"))\n"
               "    print(tuple(y.shape))\n";
        return out.str();
    }

    const Stack& stack_;
    const ExportInput& input_;
    const Trace& trace_;
    NameTable names_;
    bool channels_first_;
    std::vector<std::string> layer_names_;  // per layer: its Keras name
    size_t index_ = 0;
    std::vector<std::string> body_;         // lines of build_model() after `x = inputs`
};

}  // namespace

std::string export_keras(const Stack& stack, const ExportData& data) {
    const ExportInput input = resolve_export_input(stack, data);
    const Trace trace = export_trace(stack, input.shape);
    return KerasWriter(stack, input, trace).write();
}

}  // namespace convscope
