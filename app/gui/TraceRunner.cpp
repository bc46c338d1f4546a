#include "TraceRunner.hpp"

#include <algorithm>

#include "Background.hpp"

using convscope::DataFormat;
using convscope::Shape;
using convscope::TraceInput;

TraceRunner::TraceRunner(QObject* parent) : QObject(parent) {}

std::optional<TraceInput> TraceRunner::inputFor(const DocumentState& state, const convscope::data::Dataset* dataset) {
    if (state.dataChange && !state.dataChange->new_shape.dims.empty())
        return TraceInput::uniform(state.dataChange->new_shape);
    if (dataset && dataset->size() > 0) {
        if (auto shape = dataset->array_shape()) return TraceInput::uniform(Shape(*shape));
        const int64_t n = dataset->size();
        std::vector<int64_t> lengths(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) lengths[static_cast<size_t>(i)] = dataset->length(i);
        const int64_t longest = *std::max_element(lengths.begin(), lengths.end());
        const bool ragged = std::any_of(lengths.begin(), lengths.end(), [&](int64_t l) { return l != longest; });
        const bool last = state.stack.data_format == DataFormat::ChannelsLast;
        Shape shape = last ? Shape{n, longest, dataset->channels()} : Shape{n, dataset->channels(), longest};
        if (!ragged) return TraceInput::uniform(shape);
        return TraceInput{shape, lengths, last ? 1 : 2};
    }
    if (state.stack.input_shape) return TraceInput::uniform(*state.stack.input_shape);
    return std::nullopt;
}

void TraceRunner::request(const convscope::Stack& stack, const TraceInput& input) {
    ++m_generation;
    if (m_running) {
        m_pending.emplace(stack, input);
        return;
    }
    start(stack, input);
}

void TraceRunner::clear() {
    ++m_generation;
    m_pending.reset();
    m_trace.reset();
    emit traceCleared();
}

void TraceRunner::start(convscope::Stack stack, TraceInput input) {
    m_running = true;
    emit busyChanged(true);
    const quint64 generation = m_generation;
    runInBackground(
        this, [stack, input = std::move(input)]() {
            try {
                return convscope::trace_stack(stack, input);
            } catch (const std::exception&) {
                return convscope::Trace{};  // no steps: shown as "could not trace"
            }
        },
        [this, generation, stack](const convscope::Trace& trace) {
            m_running = false;
            if (m_pending) {
                auto next = std::move(*m_pending);
                m_pending.reset();
                start(std::move(next.first), std::move(next.second));
                return;
            }
            emit busyChanged(false);
            if (generation != m_generation) return;  // cleared meanwhile
            m_trace = trace;
            m_tracedStack = stack;
            ++m_completed;
            emit traceReady(*m_trace);
        });
}
