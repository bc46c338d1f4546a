#include "stack/LayerParamForm.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <climits>

#include "shared/Theme.hpp"
#include "layers/layer_kind.hpp"

using convscope::ParamInfo;
using convscope::ParamKind;

namespace {
constexpr const char* kInvalidStyle = "border: 2px solid #d32f2f; border-radius: 3px;";

int clampInt(double v) { return static_cast<int>(std::clamp(v, double(INT_MIN + 1), double(INT_MAX))); }
}  // namespace

LayerParamForm::LayerParamForm(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    m_title = new QLabel(this);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.1);
    m_title->setFont(tf);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    outer->addWidget(m_title);
    outer->addWidget(m_summary);

    auto* head = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName("layerNameEdit");
    m_name->setToolTip(tr("The layer's name; unique in the stack. Weights are matched by it."));
    m_enabled = new QCheckBox(tr("Enabled"), this);
    m_enabled->setToolTip(tr("A disabled layer stays in the stack but is skipped when tracing."));
    head->addRow(tr("Name"), m_name);
    head->addRow(QString(), m_enabled);
    outer->addLayout(head);

    m_fieldsHost = new QWidget(this);
    outer->addWidget(m_fieldsHost);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #d32f2f;");
    m_error->hide();
    outer->addWidget(m_error);
    outer->addStretch(1);

    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (m_row >= 0) emit renameRequested(m_row, m_name->text());
    });
    connect(m_enabled, &QCheckBox::toggled, this, [this](bool on) {
        if (m_row >= 0) emit enabledToggled(m_row, on);
    });
    setLayer(-1, nullptr);
}

LayerParamForm::Field* LayerParamForm::field(const QString& param) {
    for (auto& f : m_fieldList)
        if (QString::fromStdString(f.info.name) == param) return &f;
    return nullptr;
}

QWidget* LayerParamForm::editorFor(const QString& param) const {
    for (const auto& f : m_fieldList)
        if (QString::fromStdString(f.info.name) == param) return f.editor;
    return nullptr;
}

void LayerParamForm::setLayer(int row, const convscope::LayerSpec* spec) {
    if (!spec) {
        m_row = -1;
        m_type.clear();
        m_title->setText(tr("No layer selected"));
        m_summary->setText(tr("Select a layer in the list, or add one from the palette above."));
        m_name->setEnabled(false);
        m_enabled->setEnabled(false);
        {
            QSignalBlocker b1(m_name), b2(m_enabled);
            m_name->clear();
            m_enabled->setChecked(false);
        }
        delete m_fields;
        m_fields = nullptr;
        for (QWidget* w : m_fieldsHost->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
            // Later: the editor being torn down may be the one whose signal got us here.
            w->hide();
            w->setParent(nullptr);
            w->deleteLater();
        }
        m_fieldList.clear();
        m_paramNames.clear();
        clearErrors();
        return;
    }
    m_name->setEnabled(true);
    m_enabled->setEnabled(true);
    if (row != m_row || spec->type != m_type) rebuild(*spec);
    m_row = row;
    m_type = spec->type;
    updateValues(*spec);
}

void LayerParamForm::rebuild(const convscope::LayerSpec& spec) {
    delete m_fields;
    for (QWidget* w : m_fieldsHost->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
            // Later: the editor being torn down may be the one whose signal got us here.
            w->hide();
            w->setParent(nullptr);
            w->deleteLater();
        }
    m_fieldList.clear();
    m_paramNames.clear();
    clearErrors();
    m_fields = new QFormLayout(m_fieldsHost);
    m_fields->setContentsMargins(0, 4, 0, 0);
    m_fields->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const auto* kind = convscope::find_layer_kind(spec.type);
    m_title->setText(QString::fromStdString(spec.type));
    if (!kind) {
        m_summary->setText(tr("Unknown layer type: its parameters cannot be edited here."));
        return;
    }
    m_summary->setText(QString::fromStdString(std::string(kind->summary())));
    for (const ParamInfo& info : kind->params()) {
        Field f;
        f.info = info;
        f.editor = makeEditor(info);
        f.editor->setObjectName(QStringLiteral("param_") + QString::fromStdString(info.name));
        QString tip = QString::fromStdString(info.help);
        tip += "\n" + tr("Default: %1").arg(info.default_value.is_null() ? tr("none")
                                                                           : valueText(info.default_value));
        if (info.required) tip += "\n" + tr("Required.");
        f.editor->setToolTip(tip);
        f.label = new QLabel(QString::fromStdString(info.name), m_fieldsHost);
        f.label->setToolTip(tip);
        f.reset = new QToolButton(m_fieldsHost);
        f.reset->setText(QStringLiteral("↺"));
        f.reset->setAutoRaise(true);
        f.reset->setToolTip(tr("Back to the default"));
        auto* row = new QWidget(m_fieldsHost);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->setSpacing(2);
        f.editor->setParent(row);
        h->addWidget(f.editor, 1);
        h->addWidget(f.reset);
        f.reset->setParent(row);
        m_fields->addRow(f.label, row);
        const QString name = QString::fromStdString(info.name);
        connect(f.reset, &QToolButton::clicked, this, [this, name] {
            if (m_row >= 0) emit paramEdited(m_row, name, nlohmann::json());
        });
        m_paramNames.push_back(info.name);
        m_fieldList.push_back(f);
    }
}

QWidget* LayerParamForm::makeEditor(const ParamInfo& info) {
    const QString name = QString::fromStdString(info.name);
    switch (info.kind) {
    case ParamKind::Int:
    case ParamKind::OptionalInt: {
        auto* s = new QSpinBox;
        // One below the minimum stands for "None" (not fixed / not set).
        s->setRange(clampInt(info.min_value) - 1, clampInt(info.max_value));
        s->setSpecialValueText(info.kind == ParamKind::OptionalInt ? QStringLiteral("None") : tr("(not set)"));
        s->setKeyboardTracking(false);
        s->setAccelerated(true);
        connect(s, &QSpinBox::valueChanged, this, [this, name] { commit(name); });
        return s;
    }
    case ParamKind::Float: {
        auto* s = new QDoubleSpinBox;
        s->setDecimals(4);
        s->setRange(info.min_value, std::min(info.max_value, 1e9));
        s->setSingleStep(info.max_value <= 1 ? 0.05 : 0.1);
        s->setKeyboardTracking(false);
        connect(s, &QDoubleSpinBox::valueChanged, this, [this, name] { commit(name); });
        return s;
    }
    case ParamKind::Bool: {
        auto* c = new QCheckBox;
        connect(c, &QCheckBox::toggled, this, [this, name] { commit(name); });
        return c;
    }
    case ParamKind::Choice: {
        auto* c = new QComboBox;
        for (const auto& ch : info.choices) c->addItem(QString::fromStdString(ch));
        connect(c, &QComboBox::activated, this, [this, name] { commit(name); });
        return c;
    }
    case ParamKind::Padding: {
        auto* c = new QComboBox;
        c->setEditable(true);
        c->setInsertPolicy(QComboBox::NoInsert);
        for (const auto& ch : info.choices) c->addItem(QString::fromStdString(ch));
        c->lineEdit()->setPlaceholderText(tr("valid, same, causal, 2 or [1, 2]"));
        connect(c, &QComboBox::activated, this, [this, name] { commit(name); });
        connect(c->lineEdit(), &QLineEdit::editingFinished, this, [this, name] { commit(name); });
        return c;
    }
    case ParamKind::IntList:
    case ParamKind::Pair: {
        auto* e = new QLineEdit;
        e->setPlaceholderText(info.kind == ParamKind::Pair ? tr("2 or [1, 2]") : tr("[2, 1]"));
        connect(e, &QLineEdit::editingFinished, this, [this, name] { commit(name); });
        return e;
    }
    }
    return new QLabel(tr("(not editable)"));
}

QString LayerParamForm::valueText(const nlohmann::json& value) {
    if (value.is_string()) return QString::fromStdString(value.get<std::string>());
    if (value.is_null()) return QStringLiteral("None");
    std::string s = value.dump();
    // "[1,2]" -> "[1, 2]" reads better
    QString q = QString::fromStdString(s);
    q.replace(",", ", ");
    return q;
}

std::optional<nlohmann::json> LayerParamForm::parseText(const ParamInfo& info, const QString& raw, QString* error) {
    QString text = raw.trimmed();
    nlohmann::json value;
    if (info.kind == ParamKind::Padding) {
        for (const auto& ch : info.choices)
            if (text == QString::fromStdString(ch)) return nlohmann::json(ch);
    }
    if (text.isEmpty() || text.compare("none", Qt::CaseInsensitive) == 0) {
        value = nullptr;
    } else {
        if (text.startsWith('(') && text.endsWith(')')) text = "[" + text.mid(1, text.size() - 2) + "]";
        if (!text.startsWith('[') && text.contains(',')) text = "[" + text + "]";
        value = nlohmann::json::parse(text.toStdString(), nullptr, false);
        if (value.is_discarded()) {
            if (error)
                *error = QObject::tr("%1: \"%2\" is not a number or a list like [1, 2].")
                             .arg(QString::fromStdString(info.name), raw.trimmed());
            return std::nullopt;
        }
    }
    auto status = convscope::check_param_value(info, value);
    if (!status) {
        if (error)
            *error = QString::fromStdString(info.name) + ": " + QString::fromStdString(status.error().message);
        return std::nullopt;
    }
    return value;
}

void LayerParamForm::setEditorValue(Field& f, const nlohmann::json& v, bool explicitlySet) {
    QSignalBlocker block(f.editor);
    QFont lf = f.label->font();
    lf.setBold(explicitlySet);
    f.label->setFont(lf);
    f.reset->setVisible(explicitlySet && !f.info.required);
    f.editor->setStyleSheet(QString());
    switch (f.info.kind) {
    case ParamKind::Int:
    case ParamKind::OptionalInt: {
        auto* s = static_cast<QSpinBox*>(f.editor);
        s->setValue(v.is_number_integer() ? clampInt(double(v.get<int64_t>())) : s->minimum());
        break;
    }
    case ParamKind::Float: {
        auto* s = static_cast<QDoubleSpinBox*>(f.editor);
        s->setValue(v.is_number() ? v.get<double>() : 0.0);
        break;
    }
    case ParamKind::Bool: static_cast<QCheckBox*>(f.editor)->setChecked(v.is_boolean() && v.get<bool>()); break;
    case ParamKind::Choice: {
        auto* c = static_cast<QComboBox*>(f.editor);
        c->setCurrentIndex(v.is_string() ? c->findText(QString::fromStdString(v.get<std::string>())) : -1);
        break;
    }
    case ParamKind::Padding: {
        auto* c = static_cast<QComboBox*>(f.editor);
        const int i = v.is_string() ? c->findText(QString::fromStdString(v.get<std::string>())) : -1;
        if (i >= 0) c->setCurrentIndex(i);
        else c->setEditText(valueText(v));
        break;
    }
    case ParamKind::IntList:
    case ParamKind::Pair: static_cast<QLineEdit*>(f.editor)->setText(v.is_null() ? QString() : valueText(v)); break;
    }
}

void LayerParamForm::updateValues(const convscope::LayerSpec& spec) {
    {
        QSignalBlocker b1(m_name), b2(m_enabled);
        if (!m_name->hasFocus() || m_name->text() != QString::fromStdString(spec.name))
            m_name->setText(QString::fromStdString(spec.name));
        m_enabled->setChecked(spec.enabled);
    }
    for (auto& f : m_fieldList) {
        const bool set = spec.params.contains(f.info.name);
        setEditorValue(f, convscope::param_or_default(spec.params, f.info), set);
    }
    clearErrors();
}

void LayerParamForm::commit(const QString& param) {
    Field* f = field(param);
    if (!f || m_row < 0) return;
    std::optional<nlohmann::json> value;
    QString error;
    switch (f->info.kind) {
    case ParamKind::Int:
    case ParamKind::OptionalInt: {
        auto* s = static_cast<QSpinBox*>(f->editor);
        value = s->value() == s->minimum() ? nlohmann::json() : nlohmann::json(s->value());
        if (f->info.kind == ParamKind::Int && value->is_null() && !f->info.required) {
            emit paramEdited(m_row, param, nlohmann::json());
            return;
        }
        auto status = convscope::check_param_value(f->info, *value);
        if (!status) {
            error = param + ": " + QString::fromStdString(status.error().message);
            value.reset();
        }
        break;
    }
    case ParamKind::Float: value = nlohmann::json(static_cast<QDoubleSpinBox*>(f->editor)->value()); break;
    case ParamKind::Bool: value = nlohmann::json(static_cast<QCheckBox*>(f->editor)->isChecked()); break;
    case ParamKind::Choice: value = nlohmann::json(static_cast<QComboBox*>(f->editor)->currentText().toStdString()); break;
    case ParamKind::Padding: value = parseText(f->info, static_cast<QComboBox*>(f->editor)->currentText(), &error); break;
    case ParamKind::IntList:
    case ParamKind::Pair: value = parseText(f->info, static_cast<QLineEdit*>(f->editor)->text(), &error); break;
    }
    if (!value) {
        showError(param, error);
        return;
    }
    f->editor->setStyleSheet(QString());
    emit paramEdited(m_row, param, *value);
}

void LayerParamForm::showError(const QString& param, const QString& message) {
    if (Field* f = field(param)) f->editor->setStyleSheet(kInvalidStyle);
    m_error->setText(message);
    m_error->show();
}

QString LayerParamForm::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }

void LayerParamForm::clearErrors() {
    m_error->hide();
    m_error->clear();
    for (auto& f : m_fieldList) f.editor->setStyleSheet(QString());
}
