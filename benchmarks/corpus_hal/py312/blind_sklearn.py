"""Blind set: scikit-learn 1.9."""
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


X = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.5], [1.0, 0.2]])
y = np.array([0, 1, 0, 1])


def case_feature_importance():
    clf = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    return clf.feature_importance_  # HAL: invented-member; receiver=chain


def case_logreg_multi_class():
    return LogisticRegression(multi_class="ovr")  # HAL: version-drift; receiver=call


def case_import_safe_indexing():
    from sklearn.utils import safe_indexing  # HAL: version-drift; receiver=import
    return safe_indexing


def case_mse_squared():
    return mean_squared_error([1.0, 2.0], [1.0, 2.5], squared=False)  # HAL: version-drift; receiver=call


def case_scaled_to_frame():
    return StandardScaler().fit_transform(X).to_frame()  # HAL: other-library-idiom; receiver=chain


def case_pipeline_steps_dict():
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    return pipe.steps_dict["logisticregression"]  # HAL: invented-member; receiver=factory


def case_grid_iid():
    return GridSearchCV(LogisticRegression(), param_grid={"C": [1.0]}, iid=False)  # HAL: version-drift; receiver=call


def case_kfold_positional():
    return KFold(3, True, 0)  # HAL: arity; receiver=call
