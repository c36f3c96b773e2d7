"""Blind set 4 (written without running vetpy or reading its rules): scikit-learn."""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.1], [0.2, 0.8], [0.8, 0.2]])
y = np.array([0, 1, 0, 1, 0, 1])


def _pipeline() -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression())


def case_kmeans_cluster_centers():
    model = KMeans(n_clusters=2, n_init=1, random_state=0).fit(X)
    # fitted attributes end with an underscore: cluster_centers_
    return model.cluster_centers  # HAL: invented-member; receiver=chain


def case_grid_best_model():
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2).fit(X, y)
    return search.best_model_  # HAL: invented-member; receiver=chain


def case_cross_val_folds():
    return cross_val_score(LogisticRegression(), X, y, folds=2)  # HAL: invented-keyword; receiver=call


def case_named_steps_loop_params_dict():
    out = []
    for _name, step in _pipeline().named_steps.items():
        out.append(step.get_params_dict())  # HAL: invented-member; receiver=loop
    return out


def case_scaler_transform_one():
    scaler = StandardScaler().fit(X)
    # river's online API; sklearn transforms a 2-D batch
    return scaler.transform_one({"a": 1.0})  # HAL: other-library-idiom; receiver=chain


def case_pipeline_fit_predict_proba_keyword():
    return _pipeline().fit(X, y).predict_proba(X, normalize=True)  # HAL: invented-keyword; receiver=helper-return


def case_logreg_n_iter():
    model = LogisticRegression().fit(X, y)
    # the fitted attribute is n_iter_
    return model.iterations_  # HAL: invented-member; receiver=chain


def case_scaler_keras_fit_epochs():
    return StandardScaler().fit(X, y, epochs=3)  # HAL: other-library-idiom; receiver=constructor
