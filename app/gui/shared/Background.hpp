// Runs engine work on the thread pool and hands the result back on the GUI
// thread. The work lambda must capture by value: it may outlive `context`, in
// which case its result is dropped.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <type_traits>
#include <utility>

template <class Work, class Done>
void runInBackground(QObject* context, Work work, Done done) {
    using R = std::invoke_result_t<Work>;
    auto* watcher = new QFutureWatcher<R>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)]() mutable {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}
