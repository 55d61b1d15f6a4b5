//! Behaviour of the classifier on the shipped taxonomy and on small
//! taxonomies written for these tests.
