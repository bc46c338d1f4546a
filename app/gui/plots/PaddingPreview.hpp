// Padding & masking preview: Keras pad_sequences settings (maxlen, pre/post
// padding and truncation, value), the convolution's padding mode and masking,
// and what they do to the selected layer's output side by side: unpadded,
// padded, padded + masked, the per-step difference, and which output steps
// read padding (the contamination map).
#pragma once

#include <QWidget>

#include "plots/PlotData.hpp"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

class PaddingPreview : public QWidget {
    Q_OBJECT
public:
    explicit PaddingPreview(QWidget* parent = nullptr);

    PaddingSettings settings() const;
    void setSettings(const PaddingSettings& s);  // does not emit settingsChanged
    void setResult(const PaddingResult& result);
    void setUnavailable(const QString& reason);
    const PaddingResult& result() const { return m_result; }
    QString noteText() const;

    QCustomPlot* unpaddedPlot() const { return m_unpadded; }
    QCustomPlot* paddedPlot() const { return m_padded; }
    QCustomPlot* maskedPlot() const { return m_masked; }
    QCustomPlot* differencePlot() const { return m_difference; }
    QCustomPlot* contaminationPlot() const { return m_contamination; }
    QList<QCustomPlot*> plots() const;
    int channel() const;  // the output channel the line plots show
    void setChannel(int channel);
    void restyle();

signals:
    void settingsChanged(const PaddingSettings& settings);

private:
    void showMatrix(QCustomPlot* plot, const SeriesMatrix& m, const QString& title, bool available, int64_t offset);
    void render();

    PaddingResult m_result;
    QSpinBox* m_maxlen;
    QComboBox* m_padding;
    QComboBox* m_truncating;
    QDoubleSpinBox* m_value;
    QComboBox* m_convMode;
    QCheckBox* m_masking;
    QSpinBox* m_channel;
    QLabel* m_note;
    QCustomPlot* m_unpadded;
    QCustomPlot* m_padded;
    QCustomPlot* m_masked;
    QCustomPlot* m_difference;
    QCustomPlot* m_contamination;
};
