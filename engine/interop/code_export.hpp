// Exporting a stack as code a user can run: a PyTorch nn.Module, a Keras model
// builder, or the stack JSON itself. See docs/EXPORT.md for what each layer
// becomes and what has no equivalent in the other framework.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnosis/shape_trace.hpp"
#include "layers/layer_support.hpp"
#include "layers/stack.hpp"

namespace convscope {

// A complete Python file: `class <Name>(nn.Module)` with explicit in_channels /
// in_features from ConvScope's shape trace, its forward(), and a __main__ block
// that runs a random input of the declared shape and prints the output shape.
// The data the stack was traced on: open dimensions of the declared input are filled
// from it (and the file's header says which), so the export agrees with the trace.
struct ExportData {
    std::optional<Shape> shape;  // the trace's input shape, batch first; with fewer axes than the
                                 // stack's input (N, L) it is read as the data panel reads it
    std::string source;          // "ragged_labelled.ts", for the header; may be empty
};

std::string export_pytorch(const Stack& stack, const ExportData& data = {});

// A complete Python file: `build_model()` returning a functional keras.Model
// with the stack's layer names and parameters, and the same __main__ block.
std::string export_keras(const Stack& stack, const ExportData& data = {});

// Plain sentences on where a Keras mask (from a Masking layer) goes in this stack: which layer
// drops it before a pooling could use it, which pooling honours it. Empty without Masking.
// Both exports write them as comments; the GUI shows them next to the code.
std::vector<std::string> export_mask_notes(const Stack& stack, const ExportData& data = {});

// The stack file format (stack_to_json_text), offered next to the code exports.
std::string export_json(const Stack& stack);

// What both generators share: the concrete input they build for, the trace on
// it, and the text helpers that keep generated Python valid.
namespace codegen {

struct ExportInput {
    Shape shape;                       // fully known, batch first
    std::vector<std::string> assumed;  // one sentence per open dimension that was filled in
};

// The declared input_shape with batch 1. Open dimensions are filled so the
// example runs: from the data the trace used when given (batch too), else
// channels from the first layer's declared in_channels (else 1) and an open
// length with 128 steps or the shortest length the stack accepts.
ExportInput resolve_export_input(const Stack& stack, const ExportData& data = {});

// Where the Keras mask flows (engine's per-layer MaskRule, as the forward pass applies it).
struct MaskFlow {
    std::vector<size_t> consumers;   // layers that read a live mask (mask-aware global pooling)
    std::vector<std::string> notes;  // plain sentences, see export_mask_notes
    bool consumes(size_t layer) const;
};
MaskFlow mask_flow(const Stack& stack, const Trace& trace);

// The trace the generators read shapes from (no fixes, no minimum length).
Trace export_trace(const Stack& stack, const Shape& input);

// "# ..." lines saying what was traced and, when it fails, where and why.
std::vector<std::string> trace_comment(const Stack& stack, const ExportInput& input, const Trace& trace);

// A valid Python identifier from free text: other characters become '_',
// a leading digit gets a '_' prefix, keywords get a '_' suffix. Never empty.
std::string python_identifier(std::string_view text);
// "Sensor classifier (v2)" -> "SensorClassifierV2"; "ConvScopeModel" when nothing usable.
std::string python_class_name(std::string_view text);
// A double-quoted Python string literal.
std::string python_string(std::string_view text);
// A Python float literal that reads back as the value: 0.001, 1e-05, 2.0, float('inf').
std::string python_float(double value);
// "(1, 100, 5)", "(None, 3)", "(7,)".
std::string python_tuple(const std::vector<int64_t>& values, bool none_for_any = true);
// One comment line per ~96 columns, each starting with `indent` + "# ".
std::vector<std::string> comment_lines(std::string_view text, std::string_view indent = "");

// Gives each layer a distinct identifier; `taken` seeds names that must not be reused.
class NameTable {
public:
    explicit NameTable(std::vector<std::string> taken = {});
    std::string claim(std::string_view wanted);

private:
    std::vector<std::string> used_;
};

// Typed access to one layer's parameters with the catalogue's defaults, for both writers.
struct Params {
    const LayerSpec& spec;
    std::span<const ParamInfo> schema;
    int64_t i(std::string_view n) const { return layer_support::get_int(spec, schema, n); }
    std::optional<int64_t> oi(std::string_view n) const { return layer_support::get_optional_int(spec, schema, n); }
    double f(std::string_view n) const { return layer_support::get_float(spec, schema, n); }
    bool b(std::string_view n) const { return layer_support::get_bool(spec, schema, n); }
    std::string s(std::string_view n) const { return layer_support::get_string(spec, schema, n); }
    std::vector<int64_t> list(std::string_view n) const { return layer_support::get_int_list(spec, schema, n); }
    layer_support::PaddingSpec padding(std::string_view n = "padding") const {
        return layer_support::parse_padding(layer_support::value(spec, schema, n));
    }
    bool is_default(std::string_view n) const {
        return layer_support::value(spec, schema, n) == layer_support::info(schema, n).default_value;
    }
};

}  // namespace codegen

}  // namespace convscope
