#include "dataset/DataLoader.hpp"

#include <optional>

#include "shared/Background.hpp"
#include "data/dataset_loader.hpp"

namespace {
struct LoadOutcome {
    std::optional<convscope::data::Dataset> dataset;
    QString error;
};
}  // namespace

DataLoader::DataLoader(QObject* parent) : QObject(parent) {}

void DataLoader::load(const QString& path) {
    ++m_busy;
    const quint64 generation = ++m_generation;
    runInBackground(
        this,
        [path]() {
            LoadOutcome out;
            try {
                auto result = convscope::data::load_dataset(path.toStdString());
                if (result) out.dataset = std::move(result.value());
                else out.error = QString::fromStdString(result.error().message);
            } catch (const std::exception& e) {
                out.error = QString::fromUtf8(e.what());
            }
            return out;
        },
        [this, path, generation](const LoadOutcome& out) {
            --m_busy;
            if (generation != m_generation) return;  // a newer file was asked for
            if (out.dataset) emit loaded(path, *out.dataset);
            else emit failed(path, out.error.isEmpty() ? tr("Cannot read %1.").arg(path) : out.error);
        });
}
