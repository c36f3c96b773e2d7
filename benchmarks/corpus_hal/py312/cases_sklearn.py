"""scikit-learn 1.9: removed modules and keywords, methods of other estimators."""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder

X = np.array([[0.0], [1.0], [2.0], [3.0]])
y = np.array([0, 1, 0, 1])


def case_externals_joblib():
    from sklearn.externals import joblib  # HAL: version-drift; receiver=import
    return joblib


def case_cross_validation():
    from sklearn.cross_validation import train_test_split as tts  # HAL: version-drift; receiver=import
    return tts


def case_onehot_sparse():
    return OneHotEncoder(sparse=False)  # HAL: version-drift; receiver=call


def case_get_feature_names():
    enc = OneHotEncoder().fit([["a"], ["b"]])
    return enc.get_feature_names()  # HAL: version-drift; receiver=chain


def case_linear_regression_normalize():
    return LinearRegression(normalize=True)  # HAL: version-drift; receiver=call


def case_predict_proba_regressor():
    model = LinearRegression()
    model.fit(X, y)
    return model.predict_proba(X)  # HAL: other-library-idiom; receiver=constructor


def case_plot_confusion_matrix():
    from sklearn.metrics import plot_confusion_matrix  # HAL: version-drift; receiver=import
    return plot_confusion_matrix


def case_load_boston():
    from sklearn.datasets import load_boston  # HAL: version-drift; receiver=import
    return load_boston()


def case_kmeans_n_jobs():
    return KMeans(n_clusters=2, n_jobs=2)  # HAL: version-drift; receiver=call


def case_split_test_ratio():
    return train_test_split(X, y, test_ratio=0.25)  # HAL: invented-keyword; receiver=call


def case_score_average_kw():
    model = LinearRegression().fit(X, y)
    return model.score(X, y, average="macro")  # HAL: invented-keyword; receiver=chain


def case_imputer():
    from sklearn.preprocessing import Imputer  # HAL: version-drift; receiver=import
    return Imputer


def case_split_unpack_member():
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
    return X_train.to_numpy()  # HAL: other-library-idiom; receiver=unpack


def case_kmeans_labels_call():
    km = KMeans(n_clusters=2, n_init=1, random_state=0).fit(X)
    return km.get_labels()  # HAL: invented-member; receiver=chain


def case_estimator_positional():
    return LinearRegression(True)  # HAL: arity; receiver=call
