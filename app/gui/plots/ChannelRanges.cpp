#include "plots/ChannelRanges.hpp"

#include <QObject>
#include <QRegularExpression>
#include <algorithm>
#include <vector>

namespace {

QString validRange(int count) {
    return count == 1 ? QObject::tr("the only channel is 0") : QObject::tr("channels are 0-%1").arg(count - 1);
}

// A decimal channel number; false for anything else, including numbers past int
// (they are reported as past the last channel, not wrapped).
bool readNumber(const QString& s, qint64& out) {
    static const QRegularExpression digits(QStringLiteral("^\\d{1,18}$"));
    if (!digits.match(s).hasMatch()) return false;
    out = s.toLongLong();
    return true;
}

}  // namespace

ChannelRangeParse parseChannelRanges(const QString& text, int count, const QStringList& names) {
    ChannelRangeParse r;
    if (count <= 0) {
        r.error = QObject::tr("no channels to choose from");
        return r;
    }
    static const QRegularExpression separators(QStringLiteral("[,;]"));
    static const QRegularExpression range(QStringLiteral("^(\\S+?)\\s*[-–:]\\s*(\\S+)$"));
    std::vector<bool> chosen(size_t(count), false);
    auto fail = [&](const QString& message) {
        r.channels.clear();
        r.error = message;
        return r;
    };
    bool any = false;
    for (const QString& raw : text.split(separators, Qt::SkipEmptyParts)) {
        const QString token = raw.trimmed();
        if (token.isEmpty()) continue;
        qint64 n = 0;
        if (readNumber(token, n)) {
            if (n >= count) return fail(QObject::tr("\"%1\": no such channel; %2").arg(token, validRange(count)));
            chosen[size_t(n)] = true;
            any = true;
            continue;
        }
        if (const auto m = range.match(token); m.hasMatch()) {
            qint64 a = 0, b = 0;
            const bool numbers = readNumber(m.captured(1), a) && readNumber(m.captured(2), b);
            if (numbers) {
                if (a > b)
                    return fail(QObject::tr("\"%1\": the range runs backwards (write %2-%3)").arg(token).arg(b).arg(a));
                if (b >= count)
                    return fail(QObject::tr("\"%1\": channel %2 is past the last one; %3").arg(token).arg(b).arg(validRange(count)));
                for (qint64 c = a; c <= b; ++c) chosen[size_t(c)] = true;
                any = true;
                continue;
            }
        }
        // A name: a whole name first, else every name containing the word.
        bool matched = false;
        for (int c = 0; c < std::min(count, int(names.size())) && !matched; ++c)
            if (names[c].compare(token, Qt::CaseInsensitive) == 0) chosen[size_t(c)] = matched = true;
        if (!matched)
            for (int c = 0; c < std::min(count, int(names.size())); ++c)
                if (names[c].contains(token, Qt::CaseInsensitive)) chosen[size_t(c)] = matched = true;
        if (!matched) {
            return fail(names.isEmpty()
                            ? QObject::tr("\"%1\" is not a channel number or range like 0-15; %2").arg(token, validRange(count))
                            : QObject::tr("\"%1\" is no channel number, range like 0-15 or channel name; %2")
                                  .arg(token, validRange(count)));
        }
        any = true;
    }
    if (!any) return fail(QObject::tr("no channel chosen: type e.g. 0-15, 100; %1").arg(validRange(count)));
    for (int c = 0; c < count; ++c)
        if (chosen[size_t(c)]) r.channels << c;
    return r;
}

QString formatChannelRanges(const QList<int>& ascending) {
    QStringList parts;
    for (int i = 0; i < ascending.size();) {
        int j = i;
        while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1) ++j;
        parts << (j == i ? QString::number(ascending[i]) : QStringLiteral("%1-%2").arg(ascending[i]).arg(ascending[j]));
        i = j + 1;
    }
    return parts.join(QStringLiteral(", "));
}
