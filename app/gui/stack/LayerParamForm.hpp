// The parameter form of one layer, generated from its ParamInfo schema: a spin
// box per integer, a check box per flag, a combo box per choice, a text field
// per list. The schema's help text is each field's tooltip; a value the schema
// rejects is marked red and not applied.
#pragma once

#include <QWidget>
#include <nlohmann/json.hpp>
#include <vector>

#include "layers/layer_spec.hpp"
#include "layers/param_info.hpp"

class QFormLayout;
class QLabel;
class QLineEdit;
class QCheckBox;
class QToolButton;

class LayerParamForm : public QWidget {
    Q_OBJECT
public:
    explicit LayerParamForm(QWidget* parent = nullptr);

    // Shows layer `row`; nullptr shows an empty hint. Rebuilds only when the
    // layer or its type changes, so editing never steals the focus.
    void setLayer(int row, const convscope::LayerSpec* spec);
    int row() const { return m_row; }

    QWidget* editorFor(const QString& param) const;
    QLineEdit* nameEdit() const { return m_name; }
    // Marks a field as rejected (by the schema or a cross-field check) with the reason.
    void showError(const QString& param, const QString& message);
    QString errorText() const;

    // The value an editor holds, parsed; nullopt plus `error` when it does not parse.
    static std::optional<nlohmann::json> parseText(const convscope::ParamInfo& info, const QString& text,
                                                   QString* error);
    static QString valueText(const nlohmann::json& value);

signals:
    void paramEdited(int row, const QString& param, const nlohmann::json& value);  // null: back to default
    void renameRequested(int row, const QString& name);
    void enabledToggled(int row, bool enabled);

private:
    struct Field {
        convscope::ParamInfo info;
        QWidget* editor = nullptr;
        QLabel* label = nullptr;
        QToolButton* reset = nullptr;
    };
    void rebuild(const convscope::LayerSpec& spec);
    void updateValues(const convscope::LayerSpec& spec);
    QWidget* makeEditor(const convscope::ParamInfo& info);
    void setEditorValue(Field& field, const nlohmann::json& value, bool explicitlySet);
    void commit(const QString& param);
    void clearErrors();
    Field* field(const QString& param);

    int m_row = -1;
    std::string m_type;
    std::vector<std::string> m_paramNames;
    QLabel* m_title;
    QLabel* m_summary;
    QLineEdit* m_name;
    QCheckBox* m_enabled;
    QWidget* m_fieldsHost;
    QFormLayout* m_fields = nullptr;
    QLabel* m_error;
    std::vector<Field> m_fieldList;
};
