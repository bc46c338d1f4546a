// What a dataset looks like to a stack: the tensor shape a batch of it would
// have, with each sequence's own length when they differ.
#pragma once

#include "common/result.hpp"
#include "data/dataset.hpp"
#include "diagnosis/shape_trace.hpp"

namespace convscope {

// An array file keeps its stored shape (a transposed array must show up as one);
// a collection of sequences (CSV folder, .ts, audio) is laid out in the stack's format.
TraceInput trace_input_from_dataset(const data::Dataset& dataset, DataFormat format);

// Data with fewer than 3 axes as the data panel reads it (data/sequence_reading.hpp), batched
// in the stack's format: (L) -> (1, L, 1); (N, L) -> (N, L, 1); (L, C) read as one recording ->
// (1, L, C); channels_first puts the channels before the length. nullopt for other ranks.
std::optional<Shape> sequence_batch_shape(const Shape& stored, DataFormat format);

// The stack's declared input shape as a concrete input: the batch becomes 1;
// an open length or channel count is an error naming the field.
Result<TraceInput> trace_input_from_declared(const Stack& stack);

// "32,5,100" -> (32, 5, 100); the error names the bad entry.
Result<Shape> parse_shape_list(std::string_view text);

}  // namespace convscope
