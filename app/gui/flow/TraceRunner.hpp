// Traces the stack in the background. Requests made while a trace runs are
// coalesced: only the newest one runs next, and stale results are never shown.
#pragma once

#include <QObject>
#include <optional>

#include "data/dataset.hpp"
#include "diagnosis/shape_trace.hpp"
#include "stack/StackDocument.hpp"

class TraceRunner : public QObject {
    Q_OBJECT
public:
    explicit TraceRunner(QObject* parent = nullptr);

    // What the stack is fed: the data as loaded (a 3-D array exactly as stored,
    // other sources in the stack's layout), changed by the document's data change;
    // without data, the stack's declared input shape. nullopt: nothing to trace.
    static std::optional<convscope::TraceInput> inputFor(const DocumentState& state,
                                                         const convscope::data::Dataset* dataset);

    void request(const convscope::Stack& stack, const convscope::TraceInput& input);
    void clear();  // nothing to trace: drops the current trace
    bool busy() const { return m_running; }
    const std::optional<convscope::Trace>& trace() const { return m_trace; }
    // The stack the current trace was made from.
    const convscope::Stack& tracedStack() const { return m_tracedStack; }
    int completedCount() const { return m_completed; }

signals:
    void traceReady(const convscope::Trace& trace);
    void traceCleared();
    void busyChanged(bool busy);

private:
    void start(convscope::Stack stack, convscope::TraceInput input);

    bool m_running = false;
    std::optional<std::pair<convscope::Stack, convscope::TraceInput>> m_pending;
    std::optional<convscope::Trace> m_trace;
    convscope::Stack m_tracedStack;
    quint64 m_generation = 0;
    int m_completed = 0;
};
