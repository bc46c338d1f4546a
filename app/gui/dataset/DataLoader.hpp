// Opens sequence files in the background (load_dataset) so a large file never
// freezes the window. A failure leaves the current dataset untouched.
#pragma once

#include <QObject>
#include <QString>

#include "data/dataset.hpp"

class DataLoader : public QObject {
    Q_OBJECT
public:
    explicit DataLoader(QObject* parent = nullptr);
    void load(const QString& path);
    bool busy() const { return m_busy > 0; }

signals:
    void loaded(const QString& path, const convscope::data::Dataset& dataset);
    void failed(const QString& path, const QString& message);

private:
    int m_busy = 0;
    quint64 m_generation = 0;
};
