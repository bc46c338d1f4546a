#include "flow/TraceRunner.hpp"


#include "shared/Background.hpp"
#include "diagnosis/trace_input.hpp"

using convscope::TraceInput;

TraceRunner::TraceRunner(QObject* parent) : QObject(parent) {}

std::optional<TraceInput> TraceRunner::inputFor(const DocumentState& state, const convscope::data::Dataset* dataset) {
    if (state.dataChange && !state.dataChange->new_shape.dims.empty())
        return TraceInput::uniform(state.dataChange->new_shape);
    // The engine's rule, as `convscope-cli trace --data` uses it: the data as the data panel reads it.
    if (dataset && dataset->size() > 0) return convscope::trace_input_from_dataset(*dataset, state.stack.data_format);
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
