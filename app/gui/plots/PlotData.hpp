// Folder plots/: the plot widgets and what they draw from (plain PlotData, styles, channel picking, image export); includes only shared/.
// Plain data the plot widgets take, so they do not depend on where it comes
// from (the data readers, the forward pass, a test).
#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>
#include <vector>

// One sequence as the stack sees it: values [length][channels], row-major.
struct SequenceData {
    QString name;
    int64_t length = 0;
    int channels = 0;
    std::vector<float> values;
    QStringList channelNames;
    std::vector<uint8_t> padded;  // per step, empty: none padded
    std::vector<uint8_t> masked;  // per step, empty: none masked
    QString readingNote;          // set when the stack reads the data otherwise than shown
    bool empty() const { return length == 0 || channels == 0; }
    float at(int64_t step, int channel) const { return values[size_t(step * channels + channel)]; }
};

// A layer's output for one sequence: values [rows][steps], row-major; rows are
// channels (or features).
struct SeriesMatrix {
    QString title;
    int rows = 0;
    int64_t steps = 0;
    std::vector<float> values;
    bool empty() const { return rows == 0 || steps == 0; }
    float at(int row, int64_t step) const { return values[size_t(row * steps + step)]; }
};

// The padding & masking controls.
struct PaddingSettings {
    int maxlen = 0;                 // 0: the longest sequence in the data
    QString padding = "post";       // pre | post
    QString truncating = "post";    // pre | post
    double value = 0.0;
    QString convPaddingMode = "zeros";  // zeros | reflect | replicate | circular
    bool masking = false;
    bool operator==(const PaddingSettings&) const = default;
};

// What the padding preview shows for one layer of one sequence.
struct PaddingResult {
    QString layerTitle;
    bool outputsAvailable = false;  // false until the forward pass runs layers on data
    QString unavailableReason;
    SeriesMatrix unpadded;
    SeriesMatrix padded;
    SeriesMatrix paddedMasked;      // masked steps are NaN (gaps)
    int64_t unpaddedOffset = 0;     // padded step t shows unpadded step t - unpaddedOffset
    std::vector<double> difference; // per output step: max |padded - unpadded| over channels, aligned (NaN: none)
    std::vector<double> differenceMasked;  // likewise for the padded + masked run
    SeriesMatrix contamination;     // per output step: 1 = its receptive field touches padding (the engine's map)
    bool contaminationEstimated = false;
    int64_t paddedSteps = 0;
    int64_t maskedSteps = 0;
    int64_t maskedRealSteps = 0;    // real (not padded) steps that the mask hides too
};
