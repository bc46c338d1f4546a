// The text a channel picker takes, "0-15, 100, 250-260" or channel names, read
// against the channels a view has; and the short form the picker shows back.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

struct ChannelRangeParse {
    QList<int> channels;  // ascending, each once; empty on error
    QString error;        // names the token and the valid range; empty when the text is good
    bool ok() const { return error.isEmpty(); }
};

// Tokens are separated by commas (or semicolons): a channel number, a range "a-b"
// (both ends included), or a word matched against `names` (case-insensitive; a word
// that is no whole name selects every channel whose name contains it, so "acc" finds
// acc_x, acc_y, acc_z). Channels count from 0 to count - 1.
ChannelRangeParse parseChannelRanges(const QString& text, int count, const QStringList& names = {});

// Ascending channels as ranges: {0, 1, 2, 7} -> "0-2, 7".
QString formatChannelRanges(const QList<int>& ascending);
